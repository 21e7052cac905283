import { describe, expect, it } from "vitest";
import { retryAfterSeconds, ruleKey, worstRetryAfter, type RateRule } from "./rate-limit.ts";

const rule: RateRule = { name: "t", limit: 3, windowMs: 60_000 };

describe("rate limit windows", () => {
  it("allows an attempt when nothing has failed yet", () => {
    expect(retryAfterSeconds(rule, undefined, 1000)).toBe(0);
  });

  it("allows attempts while failures in the window are below the limit", () => {
    expect(retryAfterSeconds(rule, { key: "k", windowStart: 0, count: 2 }, 30_000)).toBe(0);
  });

  it("refuses once the limit is reached and says how long to wait", () => {
    expect(retryAfterSeconds(rule, { key: "k", windowStart: 0, count: 3 }, 30_000)).toBe(30);
  });

  it("rounds a sub-second wait up to one second", () => {
    expect(retryAfterSeconds(rule, { key: "k", windowStart: 0, count: 9 }, 59_999)).toBe(1);
  });

  it("allows again once the window has passed", () => {
    expect(retryAfterSeconds(rule, { key: "k", windowStart: 0, count: 9 }, 60_000)).toBe(0);
  });

  it("reports the longest wait across several rules", () => {
    const other: RateRule = { name: "o", limit: 1, windowMs: 120_000 };
    const checks = [
      { rule, key: ruleKey(rule, "A") },
      { rule: other, key: ruleKey(other, "A") },
    ];
    const records = [
      { key: ruleKey(rule, "A"), windowStart: 0, count: 3 },
      { key: ruleKey(other, "A"), windowStart: 0, count: 1 },
    ];
    expect(worstRetryAfter(checks, records, 60_000 - 10_000)).toBe(70);
  });
});
