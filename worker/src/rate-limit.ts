// Why: every throttle in the edge (wrong access codes, sign-ins, sign-ups, connection tests) is a
// fixed-window counter per scope. This module is the pure part: the rules, the window arithmetic
// the reserving SQL mirrors (db/auth-failures.ts), and the retry-after a refusal carries.
import type { FailureRecord } from "./db/auth-failures.ts";

export interface RateRule {
  /** Prefix of the counter key; the rest is the scope (serial, or serial + IP). */
  name: string;
  limit: number;
  windowMs: number;
  /**
   * "failures" (the default): an attempt is reserved before it is judged and given back when it
   * turns out right, so only wrong attempts keep counting. "every": every call counts, right or
   * wrong (sign-ups, connection tests: each one costs the edge something).
   */
  counts?: "failures" | "every";
}

export const ACCESS_CODE_RULES = {
  perClient: { name: "code:serial-ip", limit: 5, windowMs: 10 * 60_000 },
  perSerial: { name: "code:serial", limit: 30, windowMs: 10 * 60_000 },
} as const satisfies Record<string, RateRule>;

/**
 * Failed sign-ins: per account (slows guessing one password from many addresses, at the price
 * that a stranger can lock an account for one window) and per client address (slows one
 * address spraying many accounts; higher, since many people can share one NAT).
 */
export const LOGIN_RULES = {
  perAccount: { name: "login:account", limit: 10, windowMs: 15 * 60_000 },
  perClient: { name: "login:ip", limit: 30, windowMs: 15 * 60_000 },
} as const satisfies Record<string, RateRule>;

/**
 * The browser's connection test (routes/connection-test.ts): every call counts, since each one
 * mints TURN credentials and may hold three relay allocations for a few seconds.
 */
export const CONNECTION_TEST_RULES = {
  perUser: { name: "conntest:user", limit: 10, windowMs: 10 * 60_000, counts: "every" },
  perClient: { name: "conntest:ip", limit: 30, windowMs: 10 * 60_000, counts: "every" },
} as const satisfies Record<string, RateRule>;

/**
 * Sign-ups per client address per hour, successful or not. Each one costs a PBKDF2 hash and a
 * row, and a taken email discloses that the account exists, so one address may not mass-create
 * accounts or enumerate emails. 10 lets a household or a small office sign everyone up; a site
 * that onboards more people behind one address raises SIGNUP_LIMIT (wrangler.toml).
 */
export const SIGNUP_RULE = { name: "signup:ip", limit: 10, windowMs: 60 * 60_000, counts: "every" } as const satisfies RateRule;

/** SIGNUP_LIMIT (sign-ups per address per hour) replaces the default; anything else than a positive whole number is a configuration error. */
export function signUpRule(raw: string | undefined): RateRule {
  const text = raw?.trim();
  if (!text) return SIGNUP_RULE;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) throw new Error('SIGNUP_LIMIT must be a positive whole number like "10" (sign-ups per address per hour)');
  return { ...SIGNUP_RULE, limit: Number(text) };
}

/**
 * CONNECTION_TEST_LIMITS ("<per user>/<per address>" per 10 minutes) replaces the defaults: an
 * operator may loosen them for a support campaign, and the NAT lab runs a test before each of its
 * ~25 views. Anything else than two positive whole numbers is a configuration error.
 */
export function connectionTestRules(raw: string | undefined): typeof CONNECTION_TEST_RULES | { perUser: RateRule; perClient: RateRule } {
  const text = raw?.trim();
  if (!text) return CONNECTION_TEST_RULES;
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error('CONNECTION_TEST_LIMITS must look like "10/30" (tests per user / per address, per 10 minutes)');
  return {
    perUser: { ...CONNECTION_TEST_RULES.perUser, limit: Number(m[1]) },
    perClient: { ...CONNECTION_TEST_RULES.perClient, limit: Number(m[2]) },
  };
}

export function ruleKey(rule: RateRule, ...scope: string[]): string {
  return [rule.name, ...scope].join("|");
}

/** A window that opened at or before this instant has ended: the next attempt starts a new one. */
export function expiredBefore(rule: RateRule, now: number): number {
  return now - rule.windowMs;
}

/**
 * Whether one more attempt fits, and the counter after taking it. The reserving SQL
 * (db/auth-failures.ts reserveAttempts) is this function as one conditional upsert.
 */
export function reserveOne(rule: RateRule, record: Omit<FailureRecord, "key"> | undefined, now: number): { ok: true; record: Omit<FailureRecord, "key"> } | { ok: false } {
  if (!record || record.windowStart <= expiredBefore(rule, now)) return { ok: true, record: { windowStart: now, count: 1 } };
  if (record.count < rule.limit) return { ok: true, record: { windowStart: record.windowStart, count: record.count + 1 } };
  return { ok: false };
}

/**
 * Seconds until the attempt is allowed again, or 0 when it is allowed now. An attempt is refused
 * once `limit` attempts sit in the current window.
 */
export function retryAfterSeconds(rule: RateRule, record: FailureRecord | undefined, now: number): number {
  if (!record) return 0;
  const windowEnd = record.windowStart + rule.windowMs;
  if (record.windowStart <= expiredBefore(rule, now) || record.count < rule.limit) return 0;
  return Math.max(1, Math.ceil((windowEnd - now) / 1000));
}

/** The longest wait across rules (0 = allowed). */
export function worstRetryAfter(checks: Array<{ rule: RateRule; key: string }>, records: FailureRecord[], now: number): number {
  let worst = 0;
  for (const { rule, key } of checks) {
    worst = Math.max(worst, retryAfterSeconds(rule, records.find((r) => r.key === key), now));
  }
  return worst;
}
