// Why: what one session report adds to each roll-up counter, defined once as SQL over a report's
// columns. The hourly rebuild sums these over an hour's reports (session-rollup.ts), the counters
// add or take back one report's values (report-counters.ts), and the TTFF chart reads the same
// histogram columns (charts.ts) — so the three cannot disagree on a bucket edge or a class.
import { OPS_TTFF_EDGES_MS } from "../../../protocol/index.ts";
import { FAILED_SQL, LIVE_SQL, RELAYED_SQL } from "./session-classes.ts";

/** session_hourly's grouping columns, in order. */
export const ROLLUP_GROUP = ["outcome", "stage", "cause", "path", "relay_transport", "browser", "camera_nat_type", "viewer_nat_type", "turn_region", "colo"] as const;

const liveWith = (cond: string) => `CASE WHEN ${LIVE_SQL} AND ttff_ms IS NOT NULL AND ${cond} THEN 1 ELSE 0 END`;

/** The TTFF histogram's columns, one per edge of OPS_TTFF_EDGES_MS, then everything slower. */
export const TTFF_BUCKET_COLUMNS: readonly string[] = [...OPS_TTFF_EDGES_MS.map((le) => `ttff_le_${le}`), "ttff_inf"];

const ttffBuckets: Record<string, string> = Object.fromEntries(
  TTFF_BUCKET_COLUMNS.map((column, i) => {
    const above = i > 0 ? `ttff_ms > ${OPS_TTFF_EDGES_MS[i - 1]}` : "1";
    const le = OPS_TTFF_EDGES_MS[i];
    return [column, liveWith(le === undefined ? above : `${above} AND ttff_ms <= ${le}`)];
  }),
);

/** One report's value for each session_hourly counter (unqualified column names of a report). */
export const SESSION_COUNTERS: Readonly<Record<string, string>> = {
  count: "1",
  ttff_count: liveWith("1"),
  ttff_sum_ms: `CASE WHEN ${LIVE_SQL} THEN COALESCE(ttff_ms, 0) ELSE 0 END`,
  ...ttffBuckets,
};

/** One report's value for each camera_hourly counter. */
export const CAMERA_COUNTERS: Readonly<Record<string, string>> = {
  total: "1",
  relayed: `CASE WHEN ${RELAYED_SQL} THEN 1 ELSE 0 END`,
  failed: `CASE WHEN ${FAILED_SQL} THEN 1 ELSE 0 END`,
};
