// Why: failed access-code attempts are counted in D1 (shared by every edge location) so guessing
// is throttled per (serial, client) and per serial. The window arithmetic is in rate-limit.ts.
import { inArray, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { authFailures } from "./schema.ts";

export interface FailureRecord {
  key: string;
  windowStart: number;
  count: number;
}

export async function readFailures(d: Db, keys: string[]): Promise<FailureRecord[]> {
  if (keys.length === 0) return [];
  return d.select().from(authFailures).where(inArray(authFailures.key, keys)).all();
}

/**
 * Counts one failure atomically: a window older than `windowMs` restarts at `now` with 1,
 * otherwise the count goes up. One statement, so concurrent failures are never lost.
 */
export async function recordFailure(d: Db, key: string, now: number, windowMs: number): Promise<void> {
  const expired = sql`${authFailures.windowStart} <= ${now - windowMs}`;
  await d
    .insert(authFailures)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: authFailures.key,
      set: {
        count: sql`CASE WHEN ${expired} THEN 1 ELSE ${authFailures.count} + 1 END`,
        windowStart: sql`CASE WHEN ${expired} THEN ${now} ELSE ${authFailures.windowStart} END`,
      },
    })
    .run();
}
