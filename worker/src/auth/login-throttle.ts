// Why: failed sign-ins are counted per account and per client address in auth_failures (shared
// by every edge location); the window arithmetic is rate-limit.ts.
import type { Db } from "../db/client.ts";
import { readFailures, recordFailure } from "../db/auth-failures.ts";
import { PortholeError } from "../errors.ts";
import { LOGIN_RULES, ruleKey, worstRetryAfter } from "../rate-limit.ts";

export interface LoginThrottle {
  /** Throws rate_limited (with retry-after) when either scope is over its limit. */
  check(): Promise<void>;
  /** Counts one failure against both scopes. */
  fail(): Promise<void>;
  /** Counts one failure against the client address only (sign-up probing an email). */
  failAddress(): Promise<void>;
}

export function loginThrottle(d: Db, email: string, ip: string, now: number = Date.now()): LoginThrottle {
  const { perAccount, perClient } = LOGIN_RULES;
  const checks = [
    { rule: perAccount, key: ruleKey(perAccount, email) },
    { rule: perClient, key: ruleKey(perClient, ip) },
  ];
  return {
    async check() {
      const wait = worstRetryAfter(checks, await readFailures(d, checks.map((k) => k.key)), now);
      if (wait > 0) throw PortholeError.rateLimited(wait);
    },
    async fail() {
      await Promise.all(checks.map((k) => recordFailure(d, k.key, now, k.rule.windowMs)));
    },
    async failAddress() {
      await recordFailure(d, checks[1]!.key, now, perClient.windowMs);
    },
  };
}
