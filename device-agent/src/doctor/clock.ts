// Why: the camera checks each viewer's grant (60 s, VIEWER_TICKET_TTL_SECONDS) with its own
// clock and 30 s of tolerance (GRANT_CLOCK_TOLERANCE_SECONDS). A clock running ahead by more than
// their sum sees every grant as expired and refuses every viewer (grant_invalid), so the
// thresholds come from those two numbers rather than round minutes: beyond the tolerance is a
// warning (a grant that took a few seconds to arrive can fail), beyond the sum ahead is a
// failure. A clock behind does not break grants, but more than 5 minutes off means time sync is
// broken (TLS certificates, recording times, and device tokens near their expiry are next).
import { VIEWER_TICKET_TTL_SECONDS } from "../../../protocol/index.ts";
import { GRANT_CLOCK_TOLERANCE_SECONDS } from "../grant/verify-grant.ts";
import { check, type CheckResult } from "./types.ts";

export const CLOCK_WARN_SECONDS = GRANT_CLOCK_TOLERANCE_SECONDS;
export const CLOCK_FAIL_AHEAD_SECONDS = VIEWER_TICKET_TTL_SECONDS + GRANT_CLOCK_TOLERANCE_SECONDS;
export const CLOCK_FAIL_SECONDS = 5 * 60;

export interface EdgeTime {
  /** The edge's clock, ms since the epoch. */
  edgeMs: number;
  /** The camera's clock when the answer arrived. */
  localMs: number;
  rttMs: number;
  /** Where the edge's time came from (its doctor answer is ms-precise; the HTTP Date header is to the second). */
  source: "edge" | "http-date";
}

/** Positive: the camera's clock is ahead of the edge's. */
export function clockSkewMs(t: EdgeTime): number {
  // The edge stamped its answer about half a round trip before it arrived.
  return t.localMs - (t.edgeMs + t.rttMs / 2);
}

function span(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}

export function evaluateClock(t: EdgeTime | undefined): CheckResult {
  if (!t) return check("clock", "skip", "skipped", "Not run: the edge's time is unknown because the edge could not be reached.");
  const skew = clockSkewMs(t) / 1000;
  // The Date header has 1 s resolution; don't call that skew.
  const precision = t.source === "http-date" ? 1 : 0;
  const details = { skewSeconds: Math.round(skew * 10) / 10, source: t.source };
  const dir = skew > 0 ? "ahead of" : "behind";
  const fix = "Turn on time sync (NTP): `timedatectl set-ntp true`, or set the time by hand; make sure UDP 123 to the NTP server is allowed.";
  if (Math.abs(skew) <= CLOCK_WARN_SECONDS + precision) {
    return check("clock", "pass", "ok", `The camera's clock is within ${span(Math.max(Math.abs(skew), 1))} of the edge's.`, undefined, details);
  }
  const text = `The camera's clock is ${span(skew)} ${dir} the edge's.`;
  if (skew > CLOCK_FAIL_AHEAD_SECONDS) {
    return check("clock", "fail", "clock_skew", `${text} Every viewer's 60-second grant looks expired to the camera, so it refuses them.`, fix, details);
  }
  if (Math.abs(skew) > CLOCK_FAIL_SECONDS) {
    return check("clock", "fail", "clock_skew", `${text} Time sync is not working.`, fix, details);
  }
  return check("clock", "warn", "clock_skew", `${text} Viewer grants are checked with 30 s of tolerance, so some sessions may be refused.`, fix, details);
}
