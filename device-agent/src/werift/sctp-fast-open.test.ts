import { describe, expect, it } from "vitest";
import type { Datagram } from "../../test/drop-relay.ts";
import { connectThroughRelay } from "../../test/relay-pair.ts";
import { sctpFastOpenStats } from "./sctp-fast-open.ts";

const ONE_WAY_MS = 25; // a 50 ms round trip through the relay
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms))]);
/** DTLS application data: SCTP once the handshake is done (RFC 8261). */
const isSctp = (d: Pick<Datagram, "dtls">) => d.dtls?.some((r) => r.content === 23) ?? false;

describe("the camera's data-channel association under loss (werift viewer through a drop relay, 50 ms RTT)", () => {
  it("resends a lost INIT about two ICE round trips later, not after SCTP's 3 s RTO.Initial", async () => {
    let lost = false;
    const before = sctpFastOpenStats.t1Retransmits;
    const pair = await connectThroughRelay({
      delayMs: ONE_WAY_MS,
      drop: (d) => (!lost && d.dir === "to-viewer" && isSctp(d) ? (lost = true) : false),
    });
    try {
      const opened = performance.now();
      const channel = await within(pair.channel, 2500, "data channel open");
      expect(channel.readyState).toBe("open");
      const sctp = pair.relay.log.filter((d) => d.dir === "to-viewer" && isSctp(d));
      expect(sctp[0]!.dropped).toBe(true);
      const gap = sctp[1]!.at - sctp[0]!.at;
      expect(gap, "the resend waited at least one round trip").toBeGreaterThanOrEqual(2 * ONE_WAY_MS);
      expect(gap, "T1 started from the ICE RTT, not 3 s").toBeLessThan(400);
      expect(sctpFastOpenStats.t1Retransmits).toBeGreaterThan(before);
      expect(performance.now() - opened).toBeLessThan(2500);
    } finally {
      await pair.close();
    }
  });

  it("opens with no INIT resent when nothing is lost", async () => {
    const before = sctpFastOpenStats.t1Retransmits;
    const pair = await connectThroughRelay({ delayMs: ONE_WAY_MS, drop: () => false });
    try {
      await within(pair.channel, 5000, "data channel open");
      expect(sctpFastOpenStats.t1Retransmits).toBe(before);
    } finally {
      await pair.close();
    }
  });
});
