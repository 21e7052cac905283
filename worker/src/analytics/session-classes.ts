// Why: "live", "failed" and "abandoned" are defined once, as SQL over session_reports and
// session_hourly (both have outcome and stage), so the roll-up, the raw percentiles and the
// charts can never disagree on what a failure is (protocol/ops.ts OpsSessionBucketSchema).

/** Got a picture: stage "live" is only reached with the first frame; "ok" says the same. */
export const LIVE_SQL = "(stage = 'live' OR outcome = 'ok')";
/**
 * Causes the edge itself decided and counts as refused (edge_hourly, from the hub's
 * viewer_refused): the refused viewer's own report says "failed" with that cause, and would
 * count the same session twice. The edge's record is the one that counts, not the client's.
 */
export const EDGE_REFUSAL_CAUSES = ["device_busy", "device_offline"] as const;
/** Reached no picture and ended by an error the edge did not decide. A connection lost after the picture is live, not failed. */
export const FAILED_SQL = `(outcome = 'failed' AND NOT ${LIVE_SQL} AND (cause IS NULL OR cause NOT IN (${EDGE_REFUSAL_CAUSES.map((c) => `'${c}'`).join(", ")})))`;
/** Left by the viewer before the first picture. */
export const ABANDONED_SQL = `(outcome = 'abandoned' AND NOT ${LIVE_SQL})`;
/** Ended on the relay path after a picture: what a relay costs. */
export const RELAYED_SQL = `(${LIVE_SQL} AND path = 'relay')`;
