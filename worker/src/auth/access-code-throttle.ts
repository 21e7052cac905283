// Why: wrong access codes are counted per (serial, client) and per serial, whether they were
// typed to watch (POST /api/sessions) or to claim (POST /api/cameras): one label code, one
// guessing budget.
import type { Db } from "../db/client.ts";
import { readFailures, recordFailure } from "../db/auth-failures.ts";
import { PortholeError } from "../errors.ts";
import { log } from "../log.ts";
import { ACCESS_CODE_RULES, ruleKey, worstRetryAfter } from "../rate-limit.ts";

export interface AccessCodeThrottle {
  /** Throws rate_limited (with retry-after) when this client or this serial is over its limit. */
  check(): Promise<void>;
  /** Counts one wrong code against both scopes. */
  fail(): Promise<void>;
}

export function accessCodeThrottle(d: Db, serial: string, ip: string, now: number = Date.now()): AccessCodeThrottle {
  const { perClient, perSerial } = ACCESS_CODE_RULES;
  const checks = [
    { rule: perClient, key: ruleKey(perClient, serial, ip) },
    { rule: perSerial, key: ruleKey(perSerial, serial) },
  ];
  return {
    async check() {
      const wait = worstRetryAfter(checks, await readFailures(d, checks.map((k) => k.key)), now);
      if (wait > 0) {
        log({ event: "access_code_refused", serial, code: "rate_limited" });
        throw PortholeError.rateLimited(wait);
      }
    },
    async fail() {
      await Promise.all(checks.map((k) => recordFailure(d, k.key, now, k.rule.windowMs)));
      log({ event: "access_code_refused", serial, code: "wrong_access_code" });
    },
  };
}
