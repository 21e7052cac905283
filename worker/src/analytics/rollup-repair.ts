// Why: reports are counted into the roll-up in the same transaction that stores them
// (report-counters.ts), so the two cannot drift apart; what has no roll-up is an edge's reports
// stored before migration 0007 (or by a version that did not count them). The Cron Trigger
// rebuilds the hours that have raw reports but no roll-up row, a bounded number per run, oldest
// first. (D1 binds JS numbers as REAL, so the hour arithmetic casts to INTEGER.) A rebuild is
// idempotent (session-rollup.ts), so a repeat is harmless.
import { OPS_HOUR_MS } from "../../../protocol/index.ts";
import { hourOf } from "./hours.ts";
import { RAW_RETENTION_MS } from "./retention.ts";
import { recomputeHours } from "./session-rollup.ts";

/** Hours without a roll-up rebuilt per run (each is one grouped scan of an hour's reports). */
export const REPAIR_HOURS_PER_RUN = 48;

/** The hours it rebuilt. Only hours within the raw retention before `now` are considered. */
export async function repairRollups(db: D1Database, now: number, limit = REPAIR_HOURS_PER_RUN): Promise<number[]> {
  // One index seek per hour of the window for each table (about 1 400 row reads), instead of a
  // scan of 30 days of reports: the run is hourly and almost always finds nothing.
  const start = hourOf(now - RAW_RETENTION_MS);
  const missing = await db
    .prepare(
      `WITH RECURSIVE hours(h) AS (SELECT ?1 UNION ALL SELECT h + ?2 FROM hours WHERE h + ?2 < ?3)
       SELECT CAST(h AS INTEGER) AS hour FROM hours
       WHERE EXISTS (SELECT 1 FROM session_reports WHERE received_at >= h AND received_at < h + ?2 AND received_at < ?3)
         AND NOT EXISTS (SELECT 1 FROM session_hourly WHERE hour = h)
       ORDER BY h LIMIT ?4`,
    )
    .bind(start, OPS_HOUR_MS, now, limit)
    .all<{ hour: number }>();
  const hours = missing.results.map((r) => r.hour);
  await recomputeHours(db, hours);
  return hours;
}
