import { describe, expect, it } from "vitest";
import { CLOCK_FAIL_AHEAD_SECONDS, clockSkewMs, evaluateClock } from "./clock.ts";

const EDGE = Date.parse("2026-12-06T12:00:00.000Z");
const at = (skewSeconds: number, source: "edge" | "http-date" = "edge") => ({ edgeMs: EDGE, localMs: EDGE + skewSeconds * 1000 + 50, rttMs: 100, source });

describe("clock check", () => {
  it("takes half the round trip off: the edge stamped its answer before it travelled back", () => {
    expect(clockSkewMs(at(0))).toBe(0);
  });

  it("passes within the grants' 30 s tolerance", () => {
    expect(evaluateClock(at(20)).status).toBe("pass");
    expect(evaluateClock(at(-29)).status).toBe("pass");
  });

  it("fails a clock 10 minutes ahead, saying viewers' grants look expired and how to turn on time sync", () => {
    const r = evaluateClock(at(600));
    expect(r).toMatchObject({ status: "fail", code: "clock_skew" });
    expect(r.message).toContain("10 min ahead of the edge's");
    expect(r.message).toMatch(/grant looks expired/);
    expect(r.fix).toMatch(/NTP/);
  });

  it("fails a clock ahead by more than a grant's life plus tolerance, which already refuses every viewer", () => {
    expect(CLOCK_FAIL_AHEAD_SECONDS).toBe(90);
    expect(evaluateClock(at(95)).status).toBe("fail");
    expect(evaluateClock(at(60)).status).toBe("warn");
  });

  it("warns a clock 3 minutes behind and fails one 10 minutes behind (time sync is broken)", () => {
    expect(evaluateClock(at(-180))).toMatchObject({ status: "warn", code: "clock_skew" });
    const r = evaluateClock(at(-600));
    expect(r.status).toBe("fail");
    expect(r.message).toContain("10 min behind");
  });

  it("allows the HTTP Date header's one-second resolution, and skips without the edge's time", () => {
    expect(evaluateClock(at(30.9, "http-date")).status).toBe("pass");
    expect(evaluateClock(undefined).status).toBe("skip");
  });
});
