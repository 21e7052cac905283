import { describe, expect, it } from "vitest";
import { LONG_PATH_RTT_MS, LOSSY_FOR_MS, REPAIR_MARGIN_MS, MIN_DELAY_CEILING_MS, PLAYOUT_DELAY_URI, minPlayoutDelayMs, playoutDelayHeaderExtension, playoutDelayPayload } from "./playout-delay.ts";

describe("the playout-delay header extension", () => {
  it("packs minimum and maximum as two 12-bit counts of 10 ms", () => {
    // 280 ms → 28 = 0x01c, 2000 ms → 200 = 0x0c8: 0x01 0xc0 0xc8.
    expect([...playoutDelayPayload(280, 2000)]).toEqual([0x01, 0xc0, 0xc8]);
    expect([...playoutDelayPayload(0, 0)]).toEqual([0, 0, 0]);
  });

  it("never sends a maximum below the minimum, nor a count beyond 12 bits", () => {
    expect([...playoutDelayPayload(500, 100)]).toEqual([0x03, 0x20, 0x32]);
    expect([...playoutDelayPayload(100_000, 100_000)]).toEqual([0xff, 0xff, 0xff]);
  });

  it("is offered under Chromium's URI", () => {
    expect(playoutDelayHeaderExtension(12)).toMatchObject({ id: 12, uri: PLAYOUT_DELAY_URI });
  });
});

describe("the minimum playout delay asked of the viewer", () => {
  it("asks for nothing on a path that has not lost a packet lately", () => {
    expect(minPlayoutDelayMs({ rttSeconds: 0.15, msSinceLastNack: Number.POSITIVE_INFINITY })).toBeUndefined();
    expect(minPlayoutDelayMs({ rttSeconds: 0.15, msSinceLastNack: LOSSY_FOR_MS + 1 })).toBeUndefined();
  });

  it("asks for room for one repair after a NACK: a round trip, a frame interval and a margin", () => {
    expect(minPlayoutDelayMs({ rttSeconds: 0.15, msSinceLastNack: 10 })).toBe(150 + REPAIR_MARGIN_MS);
    expect(minPlayoutDelayMs({ rttSeconds: 0.06, msSinceLastNack: LOSSY_FOR_MS })).toBe(180);
  });

  it("asks nothing of a short path, nor of one whose round trip is not known yet", () => {
    expect(minPlayoutDelayMs({ rttSeconds: (LONG_PATH_RTT_MS - 1) / 1000, msSinceLastNack: 0 })).toBeUndefined();
    expect(minPlayoutDelayMs({ rttSeconds: 0.001, msSinceLastNack: 0 })).toBeUndefined();
    expect(minPlayoutDelayMs({ rttSeconds: undefined, msSinceLastNack: 0 })).toBeUndefined();
    expect(minPlayoutDelayMs({ rttSeconds: Number.NaN, msSinceLastNack: 0 })).toBeUndefined();
  });

  it("stays within its ceiling", () => {
    expect(minPlayoutDelayMs({ rttSeconds: 2, msSinceLastNack: 0 })).toBe(MIN_DELAY_CEILING_MS);
  });
});
