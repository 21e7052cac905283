// Why: each viewer session says at its end how far it got, over which path and how fast — the
// only way to learn why a session in the field was relayed or failed. The viewer writes it, so
// the edge takes nothing on trust: every field is bounded, unknown keys are refused, and the
// camera's NAT is not part of it (the edge reads its own copy). Stored one row per session in
// D1 (session_reports) in a shape an hourly roll-up can group on (issue 15).
import { z } from "zod";
import { FILTERING_BEHAVIORS, MAPPING_BEHAVIORS, NAT_TYPE_NAMES } from "./nat.ts";
import { PREDICTED_PATHS, PREDICTION_REASONS } from "./path-prediction.ts";
import { PathKindSchema } from "./viewer-edge.ts";

/** ok: the first frame arrived. failed: an error ended it. abandoned: left before the first frame. */
export const SESSION_OUTCOMES = ["ok", "failed", "abandoned"] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

/**
 * The stage the session was in when it ended: the one it failed at or was left in, or `live`
 * once the first frame had arrived (a failure after that is a lost connection, not a setup one).
 */
export const REPORT_STAGES = ["signaling", "ice", "dtls", "first-frame", "live"] as const;
export type ReportStage = (typeof REPORT_STAGES)[number];

/** How the browser reached its TURN server, for a relayed path (RFC 8656 §3.1, RFC 6062). */
export const RELAY_TRANSPORTS = ["udp", "tcp", "tls"] as const;
export type RelayTransport = (typeof RELAY_TRANSPORTS)[number];

export const BROWSER_FAMILIES = ["chromium", "firefox", "safari", "other"] as const;
export type BrowserFamily = (typeof BROWSER_FAMILIES)[number];

/** Longest phase or total time-to-first-frame a report may carry (the PWA gives up long before). */
export const MAX_PHASE_MS = 600_000;
/** Longest session duration a report may carry: a week of watching. */
export const MAX_SESSION_MS = 7 * 86_400_000;
/** Largest report body the edge reads (a real one is ~600 bytes). */
export const MAX_SESSION_REPORT_BYTES = 4096;
/** How long after its grant a session may still report (the report token's lifetime). */
export const SESSION_REPORT_TOKEN_TTL_SECONDS = 24 * 3600;
export const SESSION_REPORT_AUDIENCE = "porthole-session-report";

const PhaseMs = z.number().int().min(0).max(MAX_PHASE_MS).nullable();
const Count = z.number().int().min(0).max(10_000);

/** A stable error code (protocol/errors.ts, or the PWA's own such as ice_failed): short and plain. */
export const CauseCodeSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/);

/** Time to first frame split by phase (ms, the viewer's monotonic clock); null: not reached. */
export const TtffPhasesSchema = z.strictObject({
  /** Connect pressed → the edge's welcome (ticket, socket, hello). */
  signalingMs: PhaseMs,
  /** welcome → ICE connected (offer, answer, candidate checks). */
  iceMs: PhaseMs,
  /** ICE connected → DTLS connected. */
  dtlsMs: PhaseMs,
  /** DTLS connected → the first decoded frame. */
  firstFrameMs: PhaseMs,
  /** Connect pressed → the first decoded frame. */
  totalMs: PhaseMs,
});
export type TtffPhases = z.infer<typeof TtffPhasesSchema>;

/** The viewer's NAT as its connection test measured it (no addresses). */
export const ReportedNatSchema = z.strictObject({
  natType: z.enum(NAT_TYPE_NAMES),
  mapping: z.enum(MAPPING_BEHAVIORS),
  filtering: z.enum(FILTERING_BEHAVIORS),
  udpBlocked: z.boolean(),
});
export type ReportedNat = z.infer<typeof ReportedNatSchema>;

export const SessionReportSchema = z.strictObject({
  /**
   * false: sent when the tab went to the background (the last moment a phone reliably runs
   * code); a final report from the same session replaces it once.
   */
  final: z.boolean(),
  outcome: z.enum(SESSION_OUTCOMES),
  stage: z.enum(REPORT_STAGES),
  /** Why it failed (failed only; null otherwise). */
  cause: CauseCodeSchema.nullable(),
  /** The path at the end (or the last one seen). */
  path: PathKindSchema.nullable(),
  /** The first path selected; differs from `path` after a relay → direct move or a restart onto another kind. */
  firstPath: PathKindSchema.nullable(),
  /** Times the selected path changed kind (lan / p2p / relay) during the session. */
  pathChanges: Count,
  iceRestarts: Count,
  relayTransport: z.enum(RELAY_TRANSPORTS).nullable(),
  /** ?relay=1: relay-only ICE on purpose (diagnostics). */
  forcedRelay: z.boolean(),
  ttff: TtffPhasesSchema,
  /** Connect pressed → the end (ms). */
  durationMs: z.number().int().min(0).max(MAX_SESSION_MS),
  browser: z.enum(BROWSER_FAMILIES),
  viewerNat: ReportedNatSchema.nullable(),
});
export type SessionReport = z.infer<typeof SessionReportSchema>;

/** POST /api/session-reports/:sessionId — the token from the session's grant proves the session is the sender's. */
export const SessionReportRequestSchema = z.strictObject({
  token: z.string().min(16).max(2048),
  report: SessionReportSchema,
});
export type SessionReportRequest = z.infer<typeof SessionReportRequestSchema>;

/** What the edge stored, as the owner's session history shows it (camera NAT and prediction added by the edge). */
export const StoredSessionReportSchema = z.object({
  outcome: z.enum(SESSION_OUTCOMES),
  stage: z.enum(REPORT_STAGES),
  cause: z.string().nullable(),
  path: PathKindSchema.nullable(),
  firstPath: PathKindSchema.nullable(),
  pathChanges: z.number().int().nonnegative(),
  iceRestarts: z.number().int().nonnegative(),
  relayTransport: z.enum(RELAY_TRANSPORTS).nullable(),
  forcedRelay: z.boolean(),
  ttff: TtffPhasesSchema,
  durationMs: z.number().int().nonnegative(),
  browser: z.enum(BROWSER_FAMILIES),
  cameraNatType: z.enum(NAT_TYPE_NAMES).nullable(),
  viewerNatType: z.enum(NAT_TYPE_NAMES).nullable(),
  predictedPath: z.enum(PREDICTED_PATHS),
  predictionReason: z.enum(PREDICTION_REASONS),
  final: z.boolean(),
});
export type StoredSessionReport = z.infer<typeof StoredSessionReportSchema>;
