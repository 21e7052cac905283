// Why: the operators' view of the fleet (issue 15 items 2–3) — how sessions connect, how fast,
// why they fail, which cameras and regions relay — as one contract shared by the edge's
// /api/ops/* routes, the PWA's operator page and any other tool reading the same JSON.
import { z } from "zod";
import { CONNECTION_END_REASONS } from "./camera-diagnostics.ts";
import { REPORT_STAGES } from "./session-report.ts";

/** Longest range one request may ask for. */
export const OPS_MAX_RANGE_MS = 31 * 86_400_000;
/** Range when `from`/`to` are left out: the last 24 hours. */
export const OPS_DEFAULT_RANGE_MS = 86_400_000;
export const OPS_HOUR_MS = 3_600_000;
export const OPS_DAY_MS = 86_400_000;
/** Ranges up to this long are bucketed by hour; longer ones by UTC day (at most 31 bars). */
export const OPS_HOURLY_UP_TO_MS = 3 * 86_400_000;
/** Upper edges (ms, inclusive) of the time-to-first-frame histogram; the last bucket is `null` (∞). */
export const OPS_TTFF_EDGES_MS = [250, 500, 1000, 2000, 4000, 8000] as const;
/** Cameras listed in `cameras`: the most relayed + failed sessions first. */
export const OPS_TOP_CAMERAS = 10;
/** The operator cookie's JWT audience (distinct from a user's session cookie). */
export const OPS_AUDIENCE = "porthole-ops";
/** How long an operator session lasts. */
export const OPS_SESSION_SECONDS = 3600;

/** Bucket size for a range: one hour up to 3 days, one UTC day beyond. */
export function opsBucketMs(from: number, to: number): number {
  return to - from <= OPS_HOURLY_UP_TO_MS ? OPS_HOUR_MS : OPS_DAY_MS;
}

const digits = z
  .string()
  .regex(/^\d{1,16}$/, "a whole number (Unix ms)")
  .transform(Number)
  .pipe(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));

/**
 * ?from=<Unix ms>&to=<Unix ms> on every GET /api/ops/* route. Both optional (default: the last
 * 24 h up to now); to > from; at most OPS_MAX_RANGE_MS. The edge widens from/to outward to whole buckets.
 */
export const OpsRangeQuerySchema = z.strictObject({ from: digits.optional(), to: digits.optional() });
export type OpsRangeQuery = z.input<typeof OpsRangeQuerySchema>;

/**
 * One bucket of sessions by how they ended. lan/p2p/relay: sessions that got a picture, by the
 * path they ended on (the one that carried the watching). failed: reached no picture and ended
 * by an error (outcome "failed" before stage "live"); a session that lost its connection after
 * the first picture counts by its path, not as failed. refused: the edge turned the viewer away
 * (device_busy, …) — counted by the edge itself, never taken from clients. Abandoned sessions
 * (left before the first picture) are only in `totals`.
 */
export const OpsSessionBucketSchema = z.object({
  /** Bucket start (Unix ms, UTC hour or day). */
  at: z.number().int(),
  lan: z.number().int().nonnegative(),
  p2p: z.number().int().nonnegative(),
  relay: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  refused: z.number().int().nonnegative(),
});
export type OpsSessionBucket = z.infer<typeof OpsSessionBucketSchema>;

export const OpsTotalsSchema = z.object({
  /** Sessions that sent a report: live + failed + abandoned. */
  started: z.number().int().nonnegative(),
  /** Got a picture (lan + p2p + relay). */
  live: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  refused: z.number().int().nonnegative(),
  abandoned: z.number().int().nonnegative(),
  /** live / (live + failed); null when there were none. Refused and abandoned are not connection failures. */
  successRate: z.number().min(0).max(1).nullable(),
});
export type OpsTotals = z.infer<typeof OpsTotalsSchema>;

export const OpsPercentilesSchema = z.object({
  /** Null when count is 0 (or, for a phase, when the range is older than the raw reports kept). */
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  count: z.number().int().nonnegative(),
});
export type OpsPercentiles = z.infer<typeof OpsPercentilesSchema>;

export const OpsTtffSchema = z.object({
  /** Sessions that got a picture, by total time to first frame: `le` ms inclusive, null = above the last edge. */
  buckets: z.array(z.object({ le: z.number().int().nullable(), count: z.number().int().nonnegative() })),
  phases: z.object({
    signaling: OpsPercentilesSchema,
    ice: OpsPercentilesSchema,
    dtls: OpsPercentilesSchema,
    firstFrame: OpsPercentilesSchema,
    total: OpsPercentilesSchema,
  }),
  /** "raw": exact percentiles from every report; "histogram": the range reaches past the raw reports kept, so percentiles are the histogram's bucket edges. */
  source: z.enum(["raw", "histogram"]),
});
export type OpsTtff = z.infer<typeof OpsTtffSchema>;

/** Failed sessions by the stage they failed at and their cause (null: none given). Most first. */
export const OpsFailureSchema = z.object({
  stage: z.enum(REPORT_STAGES),
  cause: z.string().nullable(),
  count: z.number().int().positive(),
});
export type OpsFailure = z.infer<typeof OpsFailureSchema>;

/**
 * Viewers the edge turned away in the range, by error code (protocol/errors.ts): a camera offline
 * or at its limit, access revoked, a reused ticket… Only viewers whose credentials checked out
 * are counted (a bad or expired ticket is only logged), so a flood of junk cannot fill it. Most first.
 */
export const OpsRefusalSchema = z.object({
  code: z.string(),
  count: z.number().int().positive(),
});
export type OpsRefusal = z.infer<typeof OpsRefusalSchema>;

export const OpsCameraSchema = z.object({
  serial: z.string(),
  total: z.number().int().nonnegative(),
  relayed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type OpsCamera = z.infer<typeof OpsCameraSchema>;

/** Device connections that ended in the range, by why (protocol/camera-diagnostics.ts). Most first. */
export const OpsOfflineSchema = z.object({
  reason: z.enum(CONNECTION_END_REASONS),
  count: z.number().int().positive(),
});
export type OpsOffline = z.infer<typeof OpsOfflineSchema>;

/**
 * Sessions by where they were served: region = the TURN region the edge handed the viewer first
 * (or "none" when no TURN is configured); colo = the Cloudflare location that took the report
 * ("local" under wrangler dev). relayed: ended on the relay path.
 */
export const OpsRegionSchema = z.object({
  region: z.string(),
  colo: z.string(),
  total: z.number().int().nonnegative(),
  relayed: z.number().int().nonnegative(),
});
export type OpsRegion = z.infer<typeof OpsRegionSchema>;

const range = { from: z.number().int(), to: z.number().int(), bucketMs: z.number().int() };

/** GET /api/ops/summary: everything the operator page draws, in one call. */
export const OpsSummarySchema = z.object({
  ...range,
  sessions: z.array(OpsSessionBucketSchema),
  totals: OpsTotalsSchema,
  ttff: OpsTtffSchema,
  failures: z.array(OpsFailureSchema),
  refusals: z.array(OpsRefusalSchema),
  cameras: z.array(OpsCameraSchema),
  offline: z.array(OpsOfflineSchema),
  regions: z.array(OpsRegionSchema),
});
export type OpsSummary = z.infer<typeof OpsSummarySchema>;

/** One chart each, for other tools (same range query, same `from`/`to`/`bucketMs` header fields). */
export const OpsSessionsResponseSchema = z.object({ ...range, sessions: z.array(OpsSessionBucketSchema), totals: OpsTotalsSchema });
export const OpsTtffResponseSchema = z.object({ ...range, ttff: OpsTtffSchema });
export const OpsFailuresResponseSchema = z.object({ ...range, failures: z.array(OpsFailureSchema), refusals: z.array(OpsRefusalSchema) });
export const OpsCamerasResponseSchema = z.object({ ...range, cameras: z.array(OpsCameraSchema) });
export const OpsOfflineResponseSchema = z.object({ ...range, offline: z.array(OpsOfflineSchema) });
export const OpsRegionsResponseSchema = z.object({ ...range, regions: z.array(OpsRegionSchema) });
export type OpsSessionsResponse = z.infer<typeof OpsSessionsResponseSchema>;
export type OpsTtffResponse = z.infer<typeof OpsTtffResponseSchema>;
export type OpsFailuresResponse = z.infer<typeof OpsFailuresResponseSchema>;
export type OpsCamerasResponse = z.infer<typeof OpsCamerasResponseSchema>;
export type OpsOfflineResponse = z.infer<typeof OpsOfflineResponseSchema>;
export type OpsRegionsResponse = z.infer<typeof OpsRegionsResponseSchema>;

/** POST /api/ops/session: the admin token, exchanged for an HttpOnly operator cookie (never in a URL). */
export const OpsSignInRequestSchema = z.strictObject({ adminToken: z.string().min(1).max(512) });
export type OpsSignInRequest = z.infer<typeof OpsSignInRequestSchema>;

/** GET /api/ops/me (and POST /api/ops/session's answer); 401 operator_required when not an operator. */
export const OpsMeSchema = z.object({ operator: z.literal(true), expiresAt: z.number().int() });
export type OpsMe = z.infer<typeof OpsMeSchema>;
