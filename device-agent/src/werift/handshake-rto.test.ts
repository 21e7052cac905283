import { describe, expect, it } from "vitest";
import { HANDSHAKE_RTO_CEILING_MS, HANDSHAKE_RTO_FLOOR_MS, HANDSHAKE_RTO_MAX_MS, iceRttSeconds, initialHandshakeRtoMs, nextHandshakeRtoMs } from "./handshake-rto.ts";

describe("the handshake retransmission timeout", () => {
  it("starts at two ICE round trips", () => {
    expect(initialHandshakeRtoMs(0.15)).toBe(300);
    expect(initialHandshakeRtoMs(0.2)).toBe(400);
  });

  it("never goes below the floor on a LAN, nor above RFC 6298's 1 s on a bad estimate", () => {
    expect(initialHandshakeRtoMs(0.001)).toBe(HANDSHAKE_RTO_FLOOR_MS);
    expect(initialHandshakeRtoMs(2)).toBe(HANDSHAKE_RTO_CEILING_MS);
  });

  it("falls back to 1 s without an RTT estimate", () => {
    for (const rtt of [undefined, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(initialHandshakeRtoMs(rtt)).toBe(1000);
  });

  it("doubles on every expiry up to 60 s", () => {
    expect(nextHandshakeRtoMs(100)).toBe(200);
    expect(nextHandshakeRtoMs(40_000)).toBe(HANDSHAKE_RTO_MAX_MS);
  });

  it("reads the nominated pair's round trip from a werift ICE connection", () => {
    expect(iceRttSeconds({ nominated: { rtt: 0.042 } })).toBe(0.042);
    expect(iceRttSeconds({ nominated: undefined })).toBeUndefined();
    expect(iceRttSeconds(undefined)).toBeUndefined();
  });
});
