// Why: raw rows are kept long enough for owners' session history and exact percentiles, then
// pruned by the Cron Trigger so D1 stays bounded; the hourly roll-ups last about a year longer.
// Each run deletes in bounded batches (a D1 statement has a time limit, and a backlog after a
// long pause drains over a few runs instead of one huge delete).

/** Raw session_reports and viewer_sessions: 30 days, as long as the owner's history and the event index (EDGE_EVENTS_KEPT_DAYS). */
export const RAW_RETENTION_MS = 30 * 86_400_000;
/** Roll-ups: 400 days, a year-on-year comparison with some slack. */
export const ROLLUP_RETENTION_MS = 400 * 86_400_000;
/** Rows one DELETE removes at most. */
export const PRUNE_BATCH = 500;
/** Batches per table per run (the cron runs hourly: 24 × 10 × 500 rows a day at most per table). */
export const PRUNE_BATCHES_PER_RUN = 10;

interface Target {
  table: string;
  column: string;
  keepMs: number;
}

const TARGETS: Target[] = [
  // A report is pruned by when it was received: the hour it was rolled up in is then settled.
  { table: "session_reports", column: "received_at", keepMs: RAW_RETENTION_MS },
  { table: "viewer_sessions", column: "started_at", keepMs: RAW_RETENTION_MS },
  { table: "session_hourly", column: "hour", keepMs: ROLLUP_RETENTION_MS },
  { table: "camera_hourly", column: "hour", keepMs: ROLLUP_RETENTION_MS },
  { table: "edge_hourly", column: "hour", keepMs: ROLLUP_RETENTION_MS },
];

/** Rows deleted per table in this run. */
export type PruneResult = Record<string, number>;

export async function pruneOnce(db: D1Database, now: number, batch = PRUNE_BATCH, batches = PRUNE_BATCHES_PER_RUN): Promise<PruneResult> {
  const result: PruneResult = {};
  for (const t of TARGETS) {
    const cutoff = now - t.keepMs;
    let deleted = 0;
    for (let i = 0; i < batches; i++) {
      // Table and column names come from TARGETS above, never from input.
      const r = await db.prepare(`DELETE FROM ${t.table} WHERE rowid IN (SELECT rowid FROM ${t.table} WHERE ${t.column} < ? LIMIT ?)`).bind(cutoff, batch).run();
      deleted += r.meta.changes;
      if (r.meta.changes < batch) break;
    }
    result[t.table] = deleted;
  }
  return result;
}
