// Why: storing a session report adds it to its hour's roll-up (session_hourly, camera_hourly) as
// counters, in the same D1 batch (one transaction) as the report itself — a constant number of
// statements per report, each touching one roll-up row. Rebuilding the hour from its raw rows for
// every report (session-rollup.ts, which the cron still uses to repair) costs a scan of the whole
// hour each time: O(n²) row reads in an hour of n reports, and D1 bills reads.
//
// A final report may replace an interim one, possibly received in an earlier hour: the interim
// row's contribution is subtracted from its hour, the final one added to its own. Whether the
// store will insert, replace or refuse is decided by SQL guards read before the upsert in the
// same transaction, with the upsert's own rule (first wins; final replaces interim) — so two
// reports of one session racing each other can neither double nor lose a count.
import { OPS_HOUR_MS } from "../../../protocol/index.ts";
import type { Db } from "../db/client.ts";
import type { SessionReportRow } from "../db/schema.ts";
import { putSessionReportQuery } from "../db/session-reports.ts";
import { hourOf } from "./hours.ts";
import { CAMERA_COUNTERS, ROLLUP_GROUP, SESSION_COUNTERS } from "./rollup-columns.ts";

const GROUP = ROLLUP_GROUP;
const SESSION_KEYS = Object.keys(SESSION_COUNTERS);
const CAMERA_KEYS = Object.keys(CAMERA_COUNTERS);

/** A one-row (or empty, when its guard fails) SELECT of hour, serial, ttff_ms and the GROUP columns, with its bind values. */
interface Source {
  sql: string;
  binds: unknown[];
}

/** The source with each counter's contribution as d_<counter>. */
function withContributions(src: Source): string {
  const exprs = Object.entries({ ...SESSION_COUNTERS, ...CAMERA_COUNTERS }).map(([k, e]) => `${e} AS d_${k}`);
  return `(SELECT s.*, ${exprs.join(", ")} FROM (${src.sql}) AS s)`;
}

const sameGroup = (table: string) => [`${table}.hour = r.hour`, ...GROUP.map((c) => `${table}.${c} IS r.${c}`)].join(" AND ");

/** Statements adding (sign 1) or taking back (sign −1) the source row's contribution. */
function deltaStatements(db: D1Database, src: Source, sign: 1 | -1): D1PreparedStatement[] {
  const r = withContributions(src);
  const op = sign === 1 ? "+" : "-";
  const sessionSet = SESSION_KEYS.map((k) => `${k} = session_hourly.${k} ${op} r.d_${k}`).join(", ");
  const cameraSet = CAMERA_KEYS.map((k) => `${k} = camera_hourly.${k} ${op} r.d_${k}`).join(", ");
  const update = [
    db.prepare(`UPDATE session_hourly SET ${sessionSet} FROM ${r} AS r WHERE ${sameGroup("session_hourly")}`).bind(...src.binds),
  ];
  if (sign === 1) {
    return [
      ...update,
      db
        .prepare(
          `INSERT INTO session_hourly (hour, ${GROUP.join(", ")}, ${SESSION_KEYS.join(", ")})
           SELECT r.hour, ${GROUP.map((c) => `r.${c}`).join(", ")}, ${SESSION_KEYS.map((k) => `r.d_${k}`).join(", ")} FROM ${r} AS r
           WHERE NOT EXISTS (SELECT 1 FROM session_hourly h WHERE ${sameGroup("h")})`,
        )
        .bind(...src.binds),
      db
        .prepare(
          `INSERT INTO camera_hourly (hour, serial, ${CAMERA_KEYS.join(", ")})
           SELECT r.hour, r.serial, ${CAMERA_KEYS.map((k) => `r.d_${k}`).join(", ")} FROM ${r} AS r WHERE true
           ON CONFLICT (hour, serial) DO UPDATE SET ${CAMERA_KEYS.map((k) => `${k} = ${k} + excluded.${k}`).join(", ")}`,
        )
        .bind(...src.binds),
    ];
  }
  return [
    ...update,
    db.prepare(`DELETE FROM session_hourly WHERE hour IN (SELECT hour FROM (${src.sql})) AND count <= 0`).bind(...src.binds),
    db.prepare(`UPDATE camera_hourly SET ${cameraSet} FROM ${r} AS r WHERE camera_hourly.hour = r.hour AND camera_hourly.serial = r.serial`).bind(...src.binds),
    db.prepare(`DELETE FROM camera_hourly WHERE (hour, serial) IN (SELECT hour, serial FROM (${src.sql})) AND total <= 0`).bind(...src.binds),
  ];
}

/**
 * The stored interim row this final report will replace, as a source — empty when there is none
 * or the incoming report is interim (an interim report never replaces anything).
 */
function replacedRow(sessionId: string, incomingFinal: boolean): Source {
  return {
    sql: `SELECT CAST(received_at / ${OPS_HOUR_MS} AS INTEGER) * ${OPS_HOUR_MS} AS hour, serial, ttff_ms, ${GROUP.join(", ")}
          FROM session_reports WHERE session_id = ? AND final = 0 AND ? = 1`,
    binds: [sessionId, incomingFinal ? 1 : 0],
  };
}

/** The incoming report as a source — empty when the upsert will refuse it (the session has its report). */
function incomingRow(row: SessionReportRow): Source {
  const values: Record<(typeof GROUP)[number], unknown> = {
    outcome: row.outcome,
    stage: row.stage,
    cause: row.cause,
    path: row.path,
    relay_transport: row.relayTransport,
    browser: row.browser,
    camera_nat_type: row.cameraNatType,
    viewer_nat_type: row.viewerNatType,
    turn_region: row.turnRegion,
    colo: row.colo,
  };
  const cols = ["hour", "serial", "ttff_ms", ...GROUP];
  return {
    sql: `SELECT ${cols.map((c) => `? AS ${c}`).join(", ")}
          WHERE NOT EXISTS (SELECT 1 FROM session_reports WHERE session_id = ?)
             OR (? = 1 AND EXISTS (SELECT 1 FROM session_reports WHERE session_id = ? AND final = 0))`,
    binds: [hourOf(row.receivedAt.getTime()), row.serial, row.ttffMs, ...GROUP.map((c) => values[c]), row.sessionId, row.final ? 1 : 0, row.sessionId],
  };
}

/**
 * The statements that count this report in the roll-up, to run in one batch right before the
 * statement that stores it: take back the interim row it replaces, then add it.
 */
export function reportCounterStatements(db: D1Database, row: SessionReportRow): D1PreparedStatement[] {
  return [...deltaStatements(db, replacedRow(row.sessionId, row.final), -1), ...deltaStatements(db, incomingRow(row), 1)];
}

/**
 * Stores a session's report (first wins; a final one replaces an interim one) and counts it in
 * the roll-up, in one transaction. Returns false when the session already had its report.
 */
export async function storeCountedReport(db: D1Database, d: Db, row: SessionReportRow): Promise<boolean> {
  const put = putSessionReportQuery(d, row).toSQL();
  const results = await db.batch([...reportCounterStatements(db, row), db.prepare(put.sql).bind(...put.params)]);
  return (results.at(-1)?.meta.changes ?? 0) > 0;
}
