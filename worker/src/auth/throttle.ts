// Why: one way to throttle anything that can be guessed or is costly to serve. The attempt is
// reserved in every scope *before* it is judged (db/auth-failures.ts, one atomic statement per
// scope), so N parallel requests never get more than the limit judged; it is given back when it
// turns out right, so only wrong attempts keep counting (rules with counts: "every" keep all).
// The price: a right attempt still in flight holds a slot for the few ms it takes to judge it.
import type { Db } from "../db/client.ts";
import { refundAttempts, reserveAttempts, type Reserved } from "../db/auth-failures.ts";
import { PortholeError } from "../errors.ts";
import { expiredBefore, worstRetryAfter, type RateRule } from "../rate-limit.ts";

export interface ThrottleScope {
  rule: RateRule;
  /** ruleKey(rule, …scope). */
  key: string;
}

export interface Attempt {
  /** Gives the attempt back in the scopes that count failures only (the attempt was right, or never judged). */
  refund(): Promise<void>;
}

/**
 * Reserves one attempt in every scope, or throws rate_limited with the longest wait among the
 * full scopes, after giving back what it took in the others.
 */
export async function reserveAttempt(d: Db, scopes: ThrottleScope[], now: number = Date.now()): Promise<Attempt> {
  const reservation = await reserveAttempts(d, scopes.map((s) => ({ key: s.key, limit: s.rule.limit, expiredBefore: expiredBefore(s.rule, now) })), now);
  if (!reservation.ok) {
    await refundAttempts(d, reservation.reserved);
    const full = scopes.filter((s) => reservation.refused.some((r) => r.key === s.key));
    // A full scope always has a wait of at least 1 s; the floor only guards the arithmetic.
    throw PortholeError.rateLimited(Math.max(1, worstRetryAfter(full, reservation.refused, now)));
  }
  const refundable: Reserved[] = reservation.reserved.filter((r) => scopes.find((s) => s.key === r.key)!.rule.counts !== "every");
  return { refund: () => refundAttempts(d, refundable) };
}

/**
 * Runs `judge` under a reserved attempt: the attempt keeps counting only when `judge` throws an
 * error `isWrong` accepts (wrong code, wrong password); it is given back after a success or any
 * other refusal (unknown camera, camera offline…), which says nothing about the secret.
 */
export async function judged<T>(attempt: Attempt, judge: () => Promise<T>, isWrong: (error: unknown) => boolean): Promise<T> {
  let value: T;
  try {
    value = await judge();
  } catch (error) {
    if (!isWrong(error)) await attempt.refund();
    throw error;
  }
  await attempt.refund();
  return value;
}

/** isWrong for judged(): a PortholeError with one of these codes. */
export function hasCode(...codes: PortholeError["code"][]): (error: unknown) => boolean {
  return (error) => error instanceof PortholeError && codes.includes(error.code);
}
