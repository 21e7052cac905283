// Why: sign-ins are counted per account and per client address, and sign-ups per address
// (auth_failures, shared by every edge location). Each attempt is reserved before the password is
// hashed (auth/throttle.ts), so guesses sent in parallel cannot outrun the limit; the window
// arithmetic is rate-limit.ts.
import type { Db } from "../db/client.ts";
import { LOGIN_RULES, ruleKey, signUpRule } from "../rate-limit.ts";
import { hasCode, judged, reserveAttempt } from "./throttle.ts";

/**
 * Runs `judge` (which throws invalid_credentials for a wrong password or unknown email) as one
 * sign-in attempt against the account and the address; a right password gives it back.
 */
export async function withSignInAttempt<T>(d: Db, email: string, ip: string, judge: () => Promise<T>, now: number = Date.now()): Promise<T> {
  const { perAccount, perClient } = LOGIN_RULES;
  const attempt = await reserveAttempt(d, [
    { rule: perAccount, key: ruleKey(perAccount, email) },
    { rule: perClient, key: ruleKey(perClient, ip) },
  ], now);
  return judged(attempt, judge, hasCode("invalid_credentials"));
}

/**
 * Runs `judge` (which throws email_taken for an existing account) as one sign-up from this
 * address. Every sign-up counts against the address's sign-up budget (SIGNUP_LIMIT); a taken
 * email also counts as a failed sign-in of the address — not of the account, so sign-up is not
 * blocked by a locked account — so enumerating emails through sign-up is throttled like guessing.
 */
export async function withSignUpAttempt<T>(d: Db, env: { SIGNUP_LIMIT?: string }, ip: string, judge: () => Promise<T>, now: number = Date.now()): Promise<T> {
  const signUps = signUpRule(env.SIGNUP_LIMIT);
  const { perClient } = LOGIN_RULES;
  const attempt = await reserveAttempt(d, [
    { rule: signUps, key: ruleKey(signUps, ip) },
    { rule: perClient, key: ruleKey(perClient, ip) },
  ], now);
  return judged(attempt, judge, hasCode("email_taken"));
}
