import { describe, expect, it } from "vitest";
import { CONNECTION_TEST_RULES, connectionTestRules, reserveOne, retryAfterSeconds, ruleKey, SIGNUP_RULE, signUpRule, worstRetryAfter, type RateRule } from "./rate-limit.ts";

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

describe("reserving an attempt", () => {
  it("opens a window with one attempt when the scope has none", () => {
    expect(reserveOne(rule, undefined, 5000)).toEqual({ ok: true, record: { windowStart: 5000, count: 1 } });
  });

  it("counts one more in the current window while it has room", () => {
    expect(reserveOne(rule, { windowStart: 0, count: 2 }, 59_999)).toEqual({ ok: true, record: { windowStart: 0, count: 3 } });
  });

  it("refuses once the window holds the limit, however the attempts turn out", () => {
    expect(reserveOne(rule, { windowStart: 0, count: 3 }, 59_999)).toEqual({ ok: false });
  });

  it("restarts an ended window at one, even a full one", () => {
    expect(reserveOne(rule, { windowStart: 0, count: 3 }, 60_000)).toEqual({ ok: true, record: { windowStart: 60_000, count: 1 } });
  });

  it("refuses exactly when retry-after says to wait", () => {
    for (const [record, now] of [[{ windowStart: 0, count: 2 }, 30_000], [{ windowStart: 0, count: 3 }, 30_000], [{ windowStart: 0, count: 3 }, 60_000]] as const) {
      expect(reserveOne(rule, record, now).ok).toBe(retryAfterSeconds(rule, { key: "k", ...record }, now) === 0);
    }
  });
});

describe("sign-up limits", () => {
  it("keeps 10 per address per hour, counting every sign-up, unless SIGNUP_LIMIT says otherwise", () => {
    expect(signUpRule(undefined)).toBe(SIGNUP_RULE);
    expect([SIGNUP_RULE.limit, SIGNUP_RULE.windowMs, SIGNUP_RULE.counts]).toEqual([10, 60 * 60_000, "every"]);
    expect(signUpRule(" 200 ")).toEqual({ ...SIGNUP_RULE, limit: 200 });
  });

  it("refuses a malformed or zero limit as a configuration error", () => {
    for (const bad of ["0", "ten", "10/30", "-1", "1.5"]) expect(() => signUpRule(bad)).toThrow(/SIGNUP_LIMIT must be a positive whole number/);
  });
});

describe("connection test limits", () => {
  it("keeps 10 per user and 30 per address per 10 minutes unless CONNECTION_TEST_LIMITS says otherwise", () => {
    expect(connectionTestRules(undefined)).toBe(CONNECTION_TEST_RULES);
    expect(connectionTestRules(" ")).toBe(CONNECTION_TEST_RULES);
    const r = connectionTestRules("40/120");
    expect([r.perUser.limit, r.perClient.limit, r.perUser.windowMs]).toEqual([40, 120, 10 * 60_000]);
  });

  it("refuses a malformed or zero limit as a configuration error", () => {
    for (const bad of ["10", "0/30", "ten/30", "10/30/5", "-1/3"]) expect(() => connectionTestRules(bad)).toThrow(/CONNECTION_TEST_LIMITS must look like "10\/30"/);
  });
});
