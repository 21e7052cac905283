// Why: "why is my camera offline" is answered from what the edge saw of each device connection
// (how it ended), the camera's last NAT report and its last doctor run. The owner's camera page
// reads it from GET /api/cameras/:serial/diagnostics; these are the shapes both sides share.
import { z } from "zod";
import { DoctorReportCheckSchema } from "./device-doctor.ts";
import { NatStatusSchema } from "./nat.ts";

/**
 * Why a device connection ended, as the edge decided it:
 * - `clean-stop`: the agent closed the socket itself (1000/1001, RFC 6455 §7.4.1), e.g. SIGTERM.
 * - `stopped-answering`: the socket stayed open but no ping arrived within the heartbeat
 *   timeout (the camera's network went away without closing anything); the edge closed it 4408.
 * - `connection-lost`: the socket dropped without a close frame (1006: the agent was killed, or
 *   its TCP connection was reset).
 * - `token-revoked` / `token-superseded`: the vendor revoked the camera or retired its token.
 * - `replaced`: another connection with the same serial took over (close 4000).
 * - `edge-restart`: the edge restarted (deploy, eviction) and lost the socket without a close.
 * - `protocol-error`: the edge refused the camera's frames (1008/1009) or its protocol version.
 */
export const CONNECTION_END_REASONS = [
  "clean-stop",
  "stopped-answering",
  "connection-lost",
  "token-revoked",
  "token-superseded",
  "replaced",
  "edge-restart",
  "protocol-error",
] as const;
export type ConnectionEndReason = (typeof CONNECTION_END_REASONS)[number];

/** One device connection as the edge recorded it (times ISO 8601, the edge's clock). */
export const ConnectionRecordSchema = z.object({
  connectedAt: z.string(),
  /** Null while the connection is open. For `edge-restart`: when the edge noticed. */
  endedAt: z.string().nullable(),
  /** The last frame or ping the edge saw on it. */
  lastSeenAt: z.string().nullable(),
  /** Null while open. */
  reason: z.enum(CONNECTION_END_REASONS).nullable(),
  /** The WebSocket close code seen or sent (1006: none; null: open, or the edge restarted). */
  closeCode: z.number().int().nullable(),
});
export type ConnectionRecord = z.infer<typeof ConnectionRecordSchema>;

/** The camera's last doctor run, as uploaded (received = the edge's clock). */
export const DoctorSummarySchema = z.object({
  receivedAt: z.string(),
  checks: z.array(DoctorReportCheckSchema),
});
export type DoctorSummary = z.infer<typeof DoctorSummarySchema>;

/** GET /api/cameras/:serial/diagnostics (owner only). */
export const CameraDiagnosticsSchema = z.object({
  serial: z.string(),
  online: z.boolean(),
  /** The vendor revoked the camera: it cannot connect, whatever its last connection says. */
  revoked: z.boolean(),
  /** Now when online; else the last sign of life the edge kept (null: never connected). */
  lastOnlineAt: z.string().nullable(),
  /** Newest first, at most DEVICE_CONNECTIONS_KEPT. */
  connections: z.array(ConnectionRecordSchema),
  /** The camera's last NAT report, with when the edge received it. */
  nat: NatStatusSchema.extend({ receivedAt: z.string() }).nullable(),
  doctor: DoctorSummarySchema.nullable(),
});
export type CameraDiagnostics = z.infer<typeof CameraDiagnosticsSchema>;

/** How many ended connections the edge keeps per camera. */
export const DEVICE_CONNECTIONS_KEPT = 10;
