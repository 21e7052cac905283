import { describe, expect, it } from "vitest";
import { conditionsForRtt, conditionsFromFlags, conditionsRecord, describeConditions, homeToServerRttMs } from "./link-conditions.ts";

describe("lab link conditions", () => {
  it("reads --rtt-ms as the round trip between the two homes: a quarter of it one way on each WAN link, half of it to the servers", () => {
    const c = conditionsForRtt(40, 2);
    expect(c).toEqual({ oneWayDelayMs: 10, lossPct: 2 });
    expect(homeToServerRttMs(c)).toBe(20);
    expect(conditionsRecord(conditionsForRtt(150))).toEqual({ rtt_ms: 150, one_way_delay_ms: 37.5, loss_pct: 0 });
  });

  it("asks for no delay element at all when neither flag is given", () => {
    expect(conditionsFromFlags(undefined, undefined)).toEqual({});
    expect(describeConditions(undefined)).toBe("no added delay or loss");
  });

  it("takes loss alone as loss with no added delay, and says both in the run's output", () => {
    expect(conditionsFromFlags(undefined, "2")).toEqual({ conditions: { oneWayDelayMs: 0, lossPct: 2 } });
    expect(describeConditions(conditionsForRtt(40, 2))).toBe("40 ms RTT camera↔viewer (20 ms to the servers), 2 % loss on each WAN egress");
  });

  it("refuses a round trip or loss out of range, naming the flag", () => {
    expect(conditionsFromFlags("-5", undefined).problem).toContain("--rtt-ms");
    expect(conditionsFromFlags("forty", undefined).problem).toContain("--rtt-ms");
    expect(conditionsFromFlags("40", "80").problem).toContain("--loss-pct");
  });
});
