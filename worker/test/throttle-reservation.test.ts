// The reserving statement in D1 (db/auth-failures.ts) against the pure window arithmetic it
// mirrors (rate-limit.ts reserveOne), and the all-or-nothing reservation across scopes with its
// refunds (auth/throttle.ts).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hasCode, judged, reserveAttempt } from "../src/auth/throttle.ts";
import { reserveAttempts } from "../src/db/auth-failures.ts";
import { db } from "../src/db/client.ts";
import { PortholeError } from "../src/errors.ts";
import { expiredBefore, reserveOne, ruleKey, type RateRule } from "../src/rate-limit.ts";
import { uniqueSerial } from "./support/ids.ts";

const rule: RateRule = { name: "test:reserve", limit: 3, windowMs: 60_000 };
const every: RateRule = { ...rule, name: "test:every", counts: "every" };
const d = () => db(env.DB);
const freshKey = (r: RateRule = rule) => ruleKey(r, uniqueSerial("K"));

async function row(key: string): Promise<{ windowStart: number; count: number } | undefined> {
  return (await env.DB.prepare("SELECT window_start AS windowStart, count FROM auth_failures WHERE key = ?").bind(key).first<{ windowStart: number; count: number }>()) ?? undefined;
}

async function seed(key: string, windowStart: number, count: number): Promise<void> {
  await env.DB.prepare("INSERT INTO auth_failures (key, window_start, count) VALUES (?, ?, ?)").bind(key, windowStart, count).run();
}

describe("the reserving statement", () => {
  it("agrees with the pure window arithmetic for an empty, open, full and ended window", async () => {
    const cases: Array<[{ windowStart: number; count: number } | undefined, number]> = [
      [undefined, 1000],
      [{ windowStart: 0, count: 2 }, 59_999],
      [{ windowStart: 0, count: 3 }, 59_999],
      [{ windowStart: 0, count: 3 }, 60_000],
      [{ windowStart: 0, count: 9 }, 120_000],
    ];
    for (const [before, now] of cases) {
      const key = freshKey();
      if (before) await seed(key, before.windowStart, before.count);
      const got = await reserveAttempts(d(), [{ key, limit: rule.limit, expiredBefore: expiredBefore(rule, now) }], now);
      const want = reserveOne(rule, before, now);
      expect(got.ok, JSON.stringify({ before, now })).toBe(want.ok);
      expect(await row(key)).toEqual(want.ok ? want.record : before);
    }
  });

  it("takes exactly the limit when many reserve the same scope at once", async () => {
    const key = freshKey();
    const now = Date.now();
    const all = await Promise.all(Array.from({ length: 12 }, () => reserveAttempts(d(), [{ key, limit: rule.limit, expiredBefore: expiredBefore(rule, now) }], now)));
    expect(all.filter((r) => r.ok)).toHaveLength(rule.limit);
    expect((await row(key))!.count).toBe(rule.limit);
  });
});

describe("reserving an attempt across scopes", () => {
  it("refuses rate_limited with the full scope's wait and gives back what it took in the others", async () => {
    const [open, full] = [freshKey(), freshKey()];
    const now = Date.now();
    await seed(full, now - 20_000, rule.limit);
    const refused = await reserveAttempt(d(), [{ rule, key: open }, { rule, key: full }], now).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PortholeError);
    expect((refused as PortholeError).code).toBe("rate_limited");
    expect((refused as PortholeError).retryAfterSeconds).toBe(40);
    expect(await row(open)).toEqual({ windowStart: now, count: 0 });
    expect((await row(full))!.count).toBe(rule.limit);
  });

  it("keeps a wrong attempt, gives back a right one, and never gives back a rule that counts every call", async () => {
    const [failures, calls] = [freshKey(), freshKey(every)];
    const scopes = [{ rule, key: failures }, { rule: every, key: calls }];
    await expect(judged(await reserveAttempt(d(), scopes), async () => { throw new PortholeError("wrong_access_code"); }, hasCode("wrong_access_code"))).rejects.toThrow();
    expect([(await row(failures))!.count, (await row(calls))!.count]).toEqual([1, 1]);
    expect(await judged(await reserveAttempt(d(), scopes), async () => "right", hasCode("wrong_access_code"))).toBe("right");
    await expect(judged(await reserveAttempt(d(), scopes), async () => { throw new PortholeError("device_offline"); }, hasCode("wrong_access_code"))).rejects.toThrow();
    expect([(await row(failures))!.count, (await row(calls))!.count]).toEqual([1, 3]);
  });

  it("does not give an attempt back into a window that opened after it was taken", async () => {
    const key = freshKey();
    const attempt = await reserveAttempt(d(), [{ rule, key }], 0);
    await reserveAttempt(d(), [{ rule, key }], 60_000);
    await attempt.refund();
    expect(await row(key)).toEqual({ windowStart: 60_000, count: 1 });
  });
});
