// Why: every /api/ops/* route reads the same ?from&to; the rules (default last 24 h, at most
// 31 days, widened outward to whole buckets so each bar covers a full hour or day) are pure.
import { OPS_DEFAULT_RANGE_MS, OPS_MAX_RANGE_MS, OpsRangeQuerySchema, opsBucketMs } from "../../../protocol/index.ts";
import { PortholeError } from "../errors.ts";

export interface OpsRange {
  from: number;
  to: number;
  bucketMs: number;
}

/** The range a query asks for, or bad_request. `to` defaults to now, `from` to 24 h before `to`. */
export function parseRange(query: Record<string, string>, now: number): OpsRange {
  const parsed = OpsRangeQuerySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw PortholeError.badRequest(`${issue?.path.join(".") || "query"}: ${issue?.message ?? "invalid"}`);
  }
  const to = parsed.data.to ?? now;
  const from = parsed.data.from ?? to - OPS_DEFAULT_RANGE_MS;
  if (from >= to) throw PortholeError.badRequest("from must be before to");
  if (to - from > OPS_MAX_RANGE_MS) throw PortholeError.badRequest(`the range is limited to ${OPS_MAX_RANGE_MS / 86_400_000} days`);
  const bucketMs = opsBucketMs(from, to);
  return { from: Math.floor(from / bucketMs) * bucketMs, to: Math.ceil(to / bucketMs) * bucketMs, bucketMs };
}
