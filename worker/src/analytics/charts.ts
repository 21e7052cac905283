// Why: each operator chart (protocol/ops.ts) as one read of the roll-ups — session_hourly and
// camera_hourly for what viewers reported, edge_hourly for what only the edge saw — plus the raw
// reports for exact TTFF percentiles while they are kept. Every figure in the summary comes from
// here, so the page and the per-chart JSON routes always agree.
import {
  CONNECTION_END_REASONS,
  OPS_TOP_CAMERAS,
  OPS_TTFF_EDGES_MS,
  REPORT_STAGES,
  type ConnectionEndReason,
  type OpsCamera,
  type OpsFailure,
  type OpsRefusal,
  type OpsOffline,
  type OpsRegion,
  type OpsSessionBucket,
  type OpsTotals,
  type OpsTtff,
  type ReportStage,
} from "../../../protocol/index.ts";
import { exactPercentiles, histogramPercentiles } from "./percentiles.ts";
import type { OpsRange } from "./range.ts";
import { RAW_RETENTION_MS } from "./retention.ts";
import { TTFF_BUCKET_COLUMNS } from "./rollup-columns.ts";
import { ABANDONED_SQL, FAILED_SQL, LIVE_SQL } from "./session-classes.ts";

const sum = (cond: string) => `COALESCE(SUM(CASE WHEN ${cond} THEN count ELSE 0 END), 0)`;

export async function sessionsChart(db: D1Database, r: OpsRange): Promise<{ sessions: OpsSessionBucket[]; totals: OpsTotals }> {
  const [reported, refused] = await db.batch<Record<string, number>>([
    db
      .prepare(
        `SELECT CAST(hour / ?3 AS INTEGER) * ?3 AS at, ${sum(`${LIVE_SQL} AND path = 'lan'`)} AS lan, ${sum(`${LIVE_SQL} AND path = 'p2p'`)} AS p2p,
          ${sum(`${LIVE_SQL} AND path = 'relay'`)} AS relay, ${sum(LIVE_SQL)} AS live, ${sum(FAILED_SQL)} AS failed, ${sum(ABANDONED_SQL)} AS abandoned
         FROM session_hourly WHERE hour >= ?1 AND hour < ?2 GROUP BY at`,
      )
      .bind(r.from, r.to, r.bucketMs),
    db.prepare("SELECT CAST(hour / ?3 AS INTEGER) * ?3 AS at, SUM(count) AS refused FROM edge_hourly WHERE kind = 'refused' AND hour >= ?1 AND hour < ?2 GROUP BY at").bind(r.from, r.to, r.bucketMs),
  ]);
  const byAt = new Map<number, Record<string, number>>();
  for (const row of reported!.results) byAt.set(row.at!, row);
  const refusedAt = new Map(refused!.results.map((row) => [row.at!, row.refused!]));
  const sessions: OpsSessionBucket[] = [];
  const totals = { started: 0, live: 0, failed: 0, refused: 0, abandoned: 0 };
  // Every bucket of the range is listed, empty ones as zeros, so a chart's x axis is the range.
  for (let at = r.from; at < r.to; at += r.bucketMs) {
    const row = byAt.get(at);
    const bucket = { at, lan: row?.lan ?? 0, p2p: row?.p2p ?? 0, relay: row?.relay ?? 0, failed: row?.failed ?? 0, refused: refusedAt.get(at) ?? 0 };
    sessions.push(bucket);
    totals.live += row?.live ?? 0;
    totals.failed += bucket.failed;
    totals.abandoned += row?.abandoned ?? 0;
    totals.refused += bucket.refused;
  }
  totals.started = totals.live + totals.failed + totals.abandoned;
  const judged = totals.live + totals.failed;
  return { sessions, totals: { ...totals, successRate: judged === 0 ? null : totals.live / judged } };
}

const PHASES = { signaling: "signaling_ms", ice: "ice_ms", dtls: "dtls_ms", firstFrame: "first_frame_ms", total: "ttff_ms" } as const;

/**
 * The histogram always comes from the roll-up. Percentiles are exact from the raw reports when
 * the whole range is within RAW_RETENTION_MS (the usual case: the range is at most 31 days);
 * beyond it the per-phase times are gone, so phases report counts only and the total's
 * percentiles are read off the histogram ("source": "histogram").
 */
export async function ttffChart(db: D1Database, r: OpsRange, now: number): Promise<OpsTtff> {
  const columns = TTFF_BUCKET_COLUMNS;
  const h = await db
    .prepare(`SELECT ${columns.map((c) => `COALESCE(SUM(${c}), 0) AS ${c}`).join(", ")} FROM session_hourly WHERE hour >= ? AND hour < ?`)
    .bind(r.from, r.to)
    .first<Record<string, number>>();
  const counts = columns.map((c) => h?.[c] ?? 0);
  const buckets = counts.map((count, i) => ({ le: OPS_TTFF_EDGES_MS[i] ?? null, count }));
  if (r.from >= now - RAW_RETENTION_MS) {
    const raw = await db
      .prepare(`SELECT signaling_ms, ice_ms, dtls_ms, first_frame_ms, ttff_ms FROM session_reports WHERE received_at >= ? AND received_at < ? AND ${LIVE_SQL}`)
      .bind(r.from, r.to)
      .all<Record<string, number | null>>();
    const phase = (column: string) => exactPercentiles(raw.results.map((row) => row[column]).filter((v): v is number => typeof v === "number"));
    return {
      buckets,
      phases: { signaling: phase(PHASES.signaling), ice: phase(PHASES.ice), dtls: phase(PHASES.dtls), firstFrame: phase(PHASES.firstFrame), total: phase(PHASES.total) },
      source: "raw",
    };
  }
  const none = { p50: null, p95: null, count: 0 };
  return { buckets, phases: { signaling: none, ice: none, dtls: none, firstFrame: none, total: histogramPercentiles(counts) }, source: "histogram" };
}

export async function failuresChart(db: D1Database, r: OpsRange): Promise<OpsFailure[]> {
  const rows = await db
    .prepare(`SELECT stage, cause, SUM(count) AS count FROM session_hourly WHERE hour >= ? AND hour < ? AND ${FAILED_SQL} GROUP BY stage, cause ORDER BY count DESC, stage, cause`)
    .bind(r.from, r.to)
    .all<{ stage: string; cause: string | null; count: number }>();
  return rows.results
    .filter((row): row is { stage: ReportStage; cause: string | null; count: number } => (REPORT_STAGES as readonly string[]).includes(row.stage))
    .map((row) => ({ stage: row.stage, cause: row.cause, count: row.count }));
}

/** Viewers the edge refused, by code (edge_hourly kind "refused"), most first. */
export async function refusalsChart(db: D1Database, r: OpsRange): Promise<OpsRefusal[]> {
  const rows = await db
    .prepare("SELECT key AS code, SUM(count) AS count FROM edge_hourly WHERE kind = 'refused' AND hour >= ? AND hour < ? GROUP BY key HAVING SUM(count) > 0 ORDER BY count DESC, code")
    .bind(r.from, r.to)
    .all<OpsRefusal>();
  return rows.results;
}

/** The cameras with the most relayed + failed sessions (ties: more sessions, then serial). */
export async function camerasChart(db: D1Database, r: OpsRange): Promise<OpsCamera[]> {
  const rows = await db
    .prepare(
      `SELECT serial, SUM(total) AS total, SUM(relayed) AS relayed, SUM(failed) AS failed FROM camera_hourly WHERE hour >= ? AND hour < ?
       GROUP BY serial HAVING SUM(relayed) + SUM(failed) > 0 ORDER BY SUM(relayed) + SUM(failed) DESC, SUM(total) DESC, serial LIMIT ?`,
    )
    .bind(r.from, r.to, OPS_TOP_CAMERAS)
    .all<OpsCamera>();
  return rows.results;
}

export async function offlineChart(db: D1Database, r: OpsRange): Promise<OpsOffline[]> {
  const rows = await db
    .prepare("SELECT key AS reason, SUM(count) AS count FROM edge_hourly WHERE kind = 'device_end' AND hour >= ? AND hour < ? GROUP BY key HAVING SUM(count) > 0 ORDER BY count DESC, key")
    .bind(r.from, r.to)
    .all<{ reason: string; count: number }>();
  return rows.results
    .filter((row): row is { reason: ConnectionEndReason; count: number } => (CONNECTION_END_REASONS as readonly string[]).includes(row.reason))
    .map((row) => ({ reason: row.reason, count: row.count }));
}

/** Sessions by TURN region and edge colo; "none" without TURN, "local" when request.cf had no colo (wrangler dev). */
export async function regionsChart(db: D1Database, r: OpsRange): Promise<OpsRegion[]> {
  const rows = await db
    .prepare(
      `SELECT COALESCE(turn_region, 'none') AS region, COALESCE(colo, 'local') AS colo, SUM(count) AS total, ${sum(`${LIVE_SQL} AND path = 'relay'`)} AS relayed
       FROM session_hourly WHERE hour >= ? AND hour < ? GROUP BY 1, 2 ORDER BY total DESC, region, colo`,
    )
    .bind(r.from, r.to)
    .all<OpsRegion>();
  return rows.results;
}
