// Why: the roll-up is rebuilt as each report is stored, but two cases miss it: reports stored
// before migration 0007 (an edge that already had session_reports), and an hour whose rebuild
// failed after its report was stored. The Cron Trigger repairs both: it rebuilds the hours that
// have raw reports but no roll-up row (a bounded number per run, oldest first), and always the
// two most recent hours. (D1 binds JS numbers as REAL, so the hour arithmetic casts to INTEGER.) Rebuilding is idempotent (session-rollup.ts), so repeats are harmless.
import { OPS_HOUR_MS } from "../../../protocol/index.ts";
import { hourOf } from "./hours.ts";
import { RAW_RETENTION_MS } from "./retention.ts";
import { recomputeHours } from "./session-rollup.ts";

/** Hours without a roll-up rebuilt per run (each is one grouped scan of an hour's reports). */
export const REPAIR_HOURS_PER_RUN = 48;

/** The hours it rebuilt. Only hours within the raw retention before `now` are considered. */
export async function repairRollups(db: D1Database, now: number, limit = REPAIR_HOURS_PER_RUN): Promise<number[]> {
  const missing = await db
    .prepare(
      `SELECT DISTINCT CAST(received_at / ?1 AS INTEGER) * ?1 AS hour FROM session_reports r
       WHERE received_at >= ?2 AND received_at < ?3
         AND NOT EXISTS (SELECT 1 FROM session_hourly h WHERE h.hour = CAST(r.received_at / ?1 AS INTEGER) * ?1)
       ORDER BY hour LIMIT ?4`,
    )
    .bind(OPS_HOUR_MS, now - RAW_RETENTION_MS, now, limit)
    .all<{ hour: number }>();
  const current = hourOf(now);
  const hours = [...new Set([...missing.results.map((r) => r.hour), current - OPS_HOUR_MS, current])];
  await recomputeHours(db, hours);
  return hours;
}
