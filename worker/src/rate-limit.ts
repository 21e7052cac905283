// Why: access codes are short enough to guess online, so wrong guesses are throttled with fixed
// windows: a few per (serial, client IP) and more per serial (many IPs). Pure window arithmetic;
// storage is db/auth-failures.ts.
import type { FailureRecord } from "./db/auth-failures.ts";

export interface RateRule {
  /** Prefix of the counter key; the rest is the scope (serial, or serial + IP). */
  name: string;
  limit: number;
  windowMs: number;
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
  perUser: { name: "conntest:user", limit: 10, windowMs: 10 * 60_000 },
  perClient: { name: "conntest:ip", limit: 30, windowMs: 10 * 60_000 },
} as const satisfies Record<string, RateRule>;

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

/**
 * Seconds until the attempt is allowed again, or 0 when it is allowed now. An attempt is refused
 * once `limit` failures sit in the current window.
 */
export function retryAfterSeconds(rule: RateRule, record: FailureRecord | undefined, now: number): number {
  if (!record) return 0;
  const windowEnd = record.windowStart + rule.windowMs;
  if (now >= windowEnd || record.count < rule.limit) return 0;
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
