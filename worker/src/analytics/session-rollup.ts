// Why: the hourly roll-up of session reports rebuilt from the raw rows of whole hours (delete,
// then INSERT … SELECT … GROUP BY). Reports are counted as they are stored (report-counters.ts);
// a rebuild is what the Cron Trigger runs for hours that have raw reports but no roll-up
// (rollup-repair.ts), and it defines what the counters must equal (ops-report-counters.test.ts).
// It costs one grouped scan of the hour's reports (index session_reports_received_idx). Once raw
// rows are pruned (retention.ts) nothing recomputes that hour again, so the roll-up is what remains.
import { OPS_HOUR_MS } from "../../../protocol/index.ts";
import { CAMERA_COUNTERS, ROLLUP_GROUP, SESSION_COUNTERS } from "./rollup-columns.ts";

const GROUP = ROLLUP_GROUP.join(", ");
const sums = (counters: Readonly<Record<string, string>>) => Object.values(counters).map((e) => `SUM(${e})`).join(", ");

const SESSION_INSERT = `INSERT INTO session_hourly (hour, ${GROUP}, ${Object.keys(SESSION_COUNTERS).join(", ")})
SELECT ?1, ${GROUP}, ${sums(SESSION_COUNTERS)}
FROM session_reports WHERE received_at >= ?1 AND received_at < ?2 GROUP BY ${GROUP}`;

const CAMERA_INSERT = `INSERT INTO camera_hourly (hour, serial, ${Object.keys(CAMERA_COUNTERS).join(", ")})
SELECT ?1, serial, ${sums(CAMERA_COUNTERS)}
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
