// Why: the hourly roll-up of session reports rebuilt from the raw rows of whole hours (delete,
// then INSERT … SELECT … GROUP BY). Reports are counted as they are stored (report-counters.ts);
// a rebuild is what the Cron Trigger runs for hours that have raw reports but no roll-up
// (rollup-repair.ts), and it defines what the counters must equal (ops-report-counters.test.ts).
// It costs one grouped scan of the hour's reports (index session_reports_received_idx). Once raw
// rows are pruned (retention.ts) nothing recomputes that hour again, so the roll-up is what remains.
import { OPS_HOUR_MS } from "../../../protocol/index.ts";
import { FAILED_SQL, LIVE_SQL, RELAYED_SQL } from "./session-classes.ts";

const GROUP = "outcome, stage, cause, path, relay_transport, browser, camera_nat_type, viewer_nat_type, turn_region, colo";
const live = (cond: string) => `SUM(CASE WHEN ${LIVE_SQL} AND ttff_ms IS NOT NULL AND ${cond} THEN 1 ELSE 0 END)`;

const SESSION_INSERT = `INSERT INTO session_hourly (hour, ${GROUP}, count, ttff_count, ttff_sum_ms,
  ttff_le_250, ttff_le_500, ttff_le_1000, ttff_le_2000, ttff_le_4000, ttff_le_8000, ttff_inf)
SELECT ?1, ${GROUP}, COUNT(*), ${live("1")}, COALESCE(SUM(CASE WHEN ${LIVE_SQL} THEN ttff_ms END), 0),
  ${live("ttff_ms <= 250")}, ${live("ttff_ms > 250 AND ttff_ms <= 500")}, ${live("ttff_ms > 500 AND ttff_ms <= 1000")},
  ${live("ttff_ms > 1000 AND ttff_ms <= 2000")}, ${live("ttff_ms > 2000 AND ttff_ms <= 4000")},
  ${live("ttff_ms > 4000 AND ttff_ms <= 8000")}, ${live("ttff_ms > 8000")}
FROM session_reports WHERE received_at >= ?1 AND received_at < ?2 GROUP BY ${GROUP}`;

const CAMERA_INSERT = `INSERT INTO camera_hourly (hour, serial, total, relayed, failed)
SELECT ?1, serial, COUNT(*), SUM(CASE WHEN ${RELAYED_SQL} THEN 1 ELSE 0 END), SUM(CASE WHEN ${FAILED_SQL} THEN 1 ELSE 0 END)
FROM session_reports WHERE received_at >= ?1 AND received_at < ?2 GROUP BY serial`;

/** The statements that rebuild the roll-up rows of each of these hours (starts of UTC hours, ms). */
export function rollupStatements(db: D1Database, hours: Iterable<number>): D1PreparedStatement[] {
  return [...new Set(hours)].flatMap((hour) => {
    const end = hour + OPS_HOUR_MS;
    return [
      db.prepare("DELETE FROM session_hourly WHERE hour = ?").bind(hour),
      db.prepare(SESSION_INSERT).bind(hour, end),
      db.prepare("DELETE FROM camera_hourly WHERE hour = ?").bind(hour),
      db.prepare(CAMERA_INSERT).bind(hour, end),
    ];
  });
}

/** Rebuilds these hours' roll-up in one transaction (a D1 batch). */
export async function recomputeHours(db: D1Database, hours: Iterable<number>): Promise<void> {
  const statements = rollupStatements(db, hours);
  if (statements.length > 0) await db.batch(statements);
}
