// Why: logs are typed events, one JSON line each, so Workers Logs / analytics can filter on
// `event`, `serial` and `sessionId` instead of parsing prose.
import type { ConnectionEndReason, ErrorCode } from "../../protocol/index.ts";

export type LogEvent =
  | { event: "device_connected"; serial: string; connId: string }
  | { event: "device_token_version_bumped"; serial: string; vendorId: string; tokenVersion: number }
  | { event: "vendor_key_rotated"; vendorId: string; kid: string; previousKeyValidUntil: string | null }
  | { event: "device_online"; serial: string; connId: string; agent: string }
  | { event: "device_nat"; serial: string; natType: string; mapping: string; filtering: string; hairpinning: boolean | null }
  | { event: "device_replaced"; serial: string; connId: string; by: string }
  | { event: "device_offline"; serial: string; connId: string; viewersCut: number; reason: string }
  | { event: "device_refused"; serial: string; code: ErrorCode; detail?: string }
  | { event: "device_doctor"; serial: string; turnConfigured: boolean }
  | { event: "device_doctor_refused"; serial: string; code: ErrorCode; detail?: string }
  | { event: "device_doctor_report"; serial: string; pass: number; warn: number; fail: number; skip: number }
  | { event: "device_connection_ended"; serial: string; connId: string; reason: ConnectionEndReason; closeCode: number | null; silentMs: number }
  | { event: "connection_test"; userId: string; turnConfigured: boolean; relays: number; serial?: string; sameNetwork?: boolean | null }
  | { event: "viewer_connected"; serial: string; sessionId: string }
  | { event: "viewer_refused"; serial: string; sessionId?: string; code: ErrorCode; detail?: string }
  | { event: "session_started"; serial: string; sessionId: string }
  | { event: "ice_restart_requested"; serial: string; sessionId: string }
  | { event: "session_ended"; serial: string; sessionId: string; by: "viewer" | "device" | "edge"; reason: string }
  | { event: "viewer_grace"; serial: string; sessionId: string; reason: string; graceMs: number }
  | { event: "session_resumed"; serial: string; sessionId: string; replaced: "grace" | "socket" }
  | { event: "device_away"; serial: string; connId: string; sessionsKept: number; waitMs: number; reason: string }
  | { event: "device_sessions_reconciled"; serial: string; kept: number; ended: number; unknownToEdge: number }
  | { event: "frame_refused"; serial: string; role: "device" | "viewer"; sessionId?: string; code: ErrorCode; detail: string }
  | { event: "camera_event"; serial: string; eventId: string; kind: string; startedAt: string }
  | { event: "camera_event_dropped"; serial: string; eventId: string; reason: "rate" }
  | { event: "unknown_session"; serial: string; sessionId: string; type: string }
  | { event: "push_held"; serial: string; eventId: string; summaryAt: number | null }
  | { event: "push_delivered"; serial: string; eventId: string; more: number; recipients: number; sent: number; quiet: number; limited: number; gone: number; failed: number }
  | { event: "push_failed"; serial: string; host: string; status: number | null; detail: string }
  | { event: "ticket_issued"; serial: string; sessionId: string }
  | {
      event: "session_reported";
      serial: string;
      sessionId: string;
      final: boolean;
      outcome: string;
      stage: string;
      cause: string | null;
      path: string | null;
      ttffMs: number | null;
      predictedPath: string;
    }
  | { event: "access_code_refused"; serial: string; code: ErrorCode }
  | { event: "vendor_registered"; vendorId: string; name: string; alg: string }
  | { event: "device_created"; serial: string; vendorId: string }
  | { event: "user_signed_up"; userId: string }
  | { event: "user_signed_in"; userId: string }
  | { event: "user_signed_out_everywhere"; userId: string; sessionsEnded: number }
  | { event: "sign_in_refused"; code: ErrorCode }
  | { event: "camera_claimed"; serial: string; userId: string }
  | { event: "camera_released"; serial: string; userId: string; sessionsEnded: number }
  | { event: "camera_updated"; serial: string; userId: string }
  | { event: "access_code_rotated"; serial: string; userId: string }
  | { event: "camera_shared"; serial: string; userId: string; subjectUserId: string; role: string }
  | { event: "camera_unshared"; serial: string; userId: string; subjectUserId: string; sessionsEnded: number }
  | { event: "analytics_maintained"; repairedHours: number; pruned: Record<string, number>; failed: ("repair" | "prune")[]; ms: number }
  | { event: "internal_error"; path?: string; serial?: string; message: string };

/** Writes one event as a single JSON line. */
export function log(event: LogEvent): void {
  console.log(JSON.stringify({ ts: new Date().toISOString(), ...event }));
}

/** An unknown thrown value as a log message: an Error's message, anything else as a string. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
