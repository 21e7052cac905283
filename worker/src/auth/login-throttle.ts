// Why: failed sign-ins are counted per account and per client address in auth_failures (shared
// by every edge location); the window arithmetic is rate-limit.ts.
import type { Db } from "../db/client.ts";
import { readFailures, recordFailure } from "../db/auth-failures.ts";
import { PortholeError } from "../errors.ts";
import { LOGIN_RULES, ruleKey, worstRetryAfter } from "../rate-limit.ts";

export interface LoginThrottle {
  /** Throws rate_limited (with retry-after) when either scope is over its limit. */
  check(): Promise<void>;
  /** As check(), for the client address only (sign-up must not be blocked by a locked account). */
  checkAddress(): Promise<void>;
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
  const refuseOver = async (scopes: typeof checks) => {
    const wait = worstRetryAfter(scopes, await readFailures(d, scopes.map((k) => k.key)), now);
    if (wait > 0) throw PortholeError.rateLimited(wait);
  };
  return {
    check: () => refuseOver(checks),
    checkAddress: () => refuseOver([checks[1]!]),
    async fail() {
      await Promise.all(checks.map((k) => recordFailure(d, k.key, now, k.rule.windowMs)));
    },
    async failAddress() {
      await recordFailure(d, checks[1]!.key, now, perClient.windowMs);
    },
  };
}
