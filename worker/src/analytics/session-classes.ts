// Why: "live", "failed" and "abandoned" are defined once, as SQL over session_reports and
// session_hourly (both have outcome and stage), so the roll-up, the raw percentiles and the
// charts can never disagree on what a failure is (protocol/ops.ts OpsSessionBucketSchema).

/** Got a picture: stage "live" is only reached with the first frame; "ok" says the same. */
export const LIVE_SQL = "(stage = 'live' OR outcome = 'ok')";
/** Reached no picture and ended by an error. A connection lost after the picture is live, not failed. */
export const FAILED_SQL = `(outcome = 'failed' AND NOT ${LIVE_SQL})`;
/** Left by the viewer before the first picture. */
export const ABANDONED_SQL = `(outcome = 'abandoned' AND NOT ${LIVE_SQL})`;
/** Ended on the relay path after a picture: what a relay costs. */
export const RELAYED_SQL = `(${LIVE_SQL} AND path = 'relay')`;
