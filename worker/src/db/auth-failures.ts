// Why: throttle counters live in D1 (shared by every edge location), one row per scope, and an
// attempt is *reserved* in them before it is judged: a conditional upsert that counts it only
// while the window has room is atomic in SQLite, so N parallel requests can never all read "4 of
// 5" and all pass, as the old read-then-record did. The window arithmetic is rate-limit.ts.
//
// Raw D1 statements rather than drizzle's builder: the conditional upsert with RETURNING and the
// read in the same batch (one transaction, one round trip) are plainer in SQL, and building them
// per request would cost CPU on the viewer's time-to-first-frame path (db/prepared.ts).
import type { Db } from "./client.ts";

export interface FailureRecord {
  key: string;
  windowStart: number;
  count: number;
}

export interface ReserveScope {
  key: string;
  limit: number;
  /** Windows that opened at or before this instant have ended (rate-limit.ts expiredBefore). */
  expiredBefore: number;
}

/** An attempt held in one scope: the window it was counted in, so a refund never touches a newer one. */
export interface Reserved {
  key: string;
  windowStart: number;
}

export type Reservation = { ok: true; reserved: Reserved[] } | { ok: false; reserved: Reserved[]; refused: FailureRecord[] };

// rate-limit.ts reserveOne as one statement: no row → a window with 1; an ended window → restart
// at 1; room left → +1; full → the WHERE fails, nothing changes and nothing is returned.
const RESERVE = `INSERT INTO auth_failures (key, window_start, count) VALUES (?1, ?2, 1)
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN window_start <= ?3 THEN 1 ELSE count + 1 END,
    window_start = CASE WHEN window_start <= ?3 THEN ?2 ELSE window_start END
  WHERE window_start <= ?3 OR count < ?4
  RETURNING window_start AS windowStart, count`;
const READ = "SELECT key, window_start AS windowStart, count FROM auth_failures WHERE key = ?1";
const REFUND = "UPDATE auth_failures SET count = count - 1 WHERE key = ?1 AND window_start = ?2 AND count > 0";

/**
 * Takes one attempt in each scope, in one transaction. A scope that is full is left unchanged and
 * comes back in `refused` (its row, for the retry-after); the scopes that did have room are in
 * `reserved` either way — the caller gives them back when any scope refused (refundAttempts), so a
 * refused request never counts. Between the two, a full sibling scope can only make a concurrent
 * request be refused too early, never let one through.
 */
export async function reserveAttempts(d: Db, scopes: ReserveScope[], now: number): Promise<Reservation> {
  if (scopes.length === 0) return { ok: true, reserved: [] };
  const client = d.$client;
  const statements = scopes.flatMap((s) => [client.prepare(RESERVE).bind(s.key, now, s.expiredBefore, s.limit), client.prepare(READ).bind(s.key)]);
  const results = await client.batch<FailureRecord | { windowStart: number; count: number }>(statements);
  const reserved: Reserved[] = [];
  const refused: FailureRecord[] = [];
  scopes.forEach((s, i) => {
    const taken = results[2 * i]!.results[0];
    if (taken) reserved.push({ key: s.key, windowStart: taken.windowStart });
    else refused.push(results[2 * i + 1]!.results[0] as FailureRecord);
  });
  return refused.length === 0 ? { ok: true, reserved } : { ok: false, reserved, refused };
}

/** Gives reserved attempts back (a right code, or a refusal in a sibling scope). */
export async function refundAttempts(d: Db, reserved: Reserved[]): Promise<void> {
  if (reserved.length === 0) return;
  const client = d.$client;
  await client.batch(reserved.map((r) => client.prepare(REFUND).bind(r.key, r.windowStart)));
}
