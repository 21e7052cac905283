// Why: the operator view's time range selector — four ranges an operator asks about, turned
// into the ?from&to the edge reads (protocol/ops.ts), and each bar's label in the size of its
// bucket (hours up to 3 days, UTC days beyond). Labels are UTC because the edge's daily
// buckets are UTC days: a local date would put a bar under the wrong day near midnight.
import { OPS_DAY_MS, OPS_HOUR_MS } from "../../../protocol/ops.ts";

export const OPS_RANGE_IDS = ["1h", "24h", "7d", "30d"] as const;
export type OpsRangeId = (typeof OPS_RANGE_IDS)[number];

export const OPS_RANGES: Record<OpsRangeId, { label: string; ms: number }> = {
  "1h": { label: "Last 1 h", ms: OPS_HOUR_MS },
  "24h": { label: "Last 24 h", ms: OPS_DAY_MS },
  "7d": { label: "Last 7 d", ms: 7 * OPS_DAY_MS },
  "30d": { label: "Last 30 d", ms: 30 * OPS_DAY_MS },
};

/** The query window for a range ending now (Unix ms, as GET /api/ops/* takes them). */
export function rangeWindow(id: OpsRangeId, nowMs: number): { from: number; to: number } {
  const to = Math.floor(nowMs);
  return { from: to - OPS_RANGES[id].ms, to };
}

/** "?from=…&to=…" for a window. */
export function rangeQuery(w: { from: number; to: number }): string {
  return `?${new URLSearchParams({ from: String(w.from), to: String(w.to) }).toString()}`;
}

/** A bucket's label: "14:00" for an hour, "7 Dec" for a day (UTC, see above). */
export function bucketLabel(at: number, bucketMs: number, locale = "en-GB"): string {
  const opts: Intl.DateTimeFormatOptions =
    bucketMs < OPS_DAY_MS ? { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" } : { day: "numeric", month: "short", timeZone: "UTC" };
  return new Intl.DateTimeFormat(locale, opts).format(new Date(at));
}

/** The longer label for a bar's tooltip: "7 Dec, 14:00–15:00 UTC" or "7 Dec UTC". */
export function bucketTitle(at: number, bucketMs: number, locale = "en-GB"): string {
  const day = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(at));
  if (bucketMs >= OPS_DAY_MS) return `${day} UTC`;
  return `${day}, ${bucketLabel(at, bucketMs, locale)}–${bucketLabel(at + bucketMs, bucketMs, locale)} UTC`;
}

/**
 * Which bars get a label under them: every `step`-th, so at most `most` labels fit (25 hourly
 * bars would overlap on a phone). The last bar is always labelled when the step lands on it.
 */
export function labelStep(count: number, most = 6): number {
  return count <= most ? 1 : Math.ceil(count / most);
}
