// Why: wrong access codes are counted per (serial, client) and per serial, whether they were
// typed to watch (POST /api/sessions) or to claim (POST /api/cameras): one label code, one
// guessing budget. Each attempt is reserved before the code is checked (auth/throttle.ts), so
// codes sent in parallel cannot outrun the limit.
import type { Db } from "../db/client.ts";
import { log } from "../log.ts";
import { ACCESS_CODE_RULES, ruleKey } from "../rate-limit.ts";
import { hasCode, judged, reserveAttempt } from "./throttle.ts";

const isWrongCode = hasCode("wrong_access_code");

/**
 * Runs `judge` (which checks the code and throws wrong_access_code when it is wrong) as one
 * counted attempt; throws rate_limited, without running it, when this client or this serial has
 * no attempts left.
 */
export async function withAccessCodeAttempt<T>(d: Db, serial: string, ip: string, judge: () => Promise<T>, now: number = Date.now()): Promise<T> {
  const { perClient, perSerial } = ACCESS_CODE_RULES;
  let attempt;
  try {
    attempt = await reserveAttempt(d, [
      { rule: perClient, key: ruleKey(perClient, serial, ip) },
      { rule: perSerial, key: ruleKey(perSerial, serial) },
    ], now);
  } catch (error) {
    log({ event: "access_code_refused", serial, code: "rate_limited" });
    throw error;
  }
  return judged(attempt, judge, (error) => {
    const wrong = isWrongCode(error);
    if (wrong) log({ event: "access_code_refused", serial, code: "wrong_access_code" });
    return wrong;
  });
}
