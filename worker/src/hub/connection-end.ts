// Why: an owner asks "why is my camera offline?", and the answer is decided here, where the
// hub still knows how the camera's socket ended — pure functions from what the hub saw (close
// code, silence, replacement, a socket lost in a restart) to a reason and a record.
import type { ConnectionEndReason } from "../../../protocol/index.ts";
import type { ConnectionEndRecord, DeviceConn, Effect } from "./types.ts";

/**
 * The reason for a close the camera's side started (RFC 6455 §7.4.1 codes as workerd reports
 * them). 1006 is not sent by anyone: the TCP connection ended without a close frame (the agent
 * was killed, or a middlebox reset it). 1015 likewise (TLS failed). The 100x codes that say a
 * frame was refused are protocol errors; any other close frame means the agent chose to stop.
 */
export function reasonForClose(code: number): ConnectionEndReason {
  if (code === 1006 || code === 1015) return "connection-lost";
  if (code === 1002 || code === 1003 || code === 1007 || code === 1008 || code === 1009 || code === 1010) return "protocol-error";
  return "clean-stop";
}

/** The last sign of life on a device socket: a frame, an auto-answered ping, or the connect. */
export function deviceLastSeen(conn: DeviceConn): number {
  return Math.max(conn.connectedAt, conn.lastActiveAt ?? 0, conn.lastPongAt ?? 0);
}

/** The effects that record `conn` as ended for `reason` at `now`. */
export function connectionEnded(serial: string, conn: DeviceConn, reason: ConnectionEndReason, closeCode: number | null, now: number): Effect[] {
  const lastSeenAt = Math.min(now, deviceLastSeen(conn));
  return endEffects(serial, { connId: conn.id, reason, closeCode, endedAt: now, lastSeenAt });
}

function endEffects(serial: string, end: ConnectionEndRecord): Effect[] {
  return [
    { type: "connection-end", end },
    {
      type: "log",
      event: { event: "device_connection_ended", serial, connId: end.connId, reason: end.reason, closeCode: end.closeCode, silentMs: end.endedAt - end.lastSeenAt },
    },
  ];
}

/** A device connection the hub recorded open (DO SQLite), with the last sign of life it kept. */
export interface OpenConnection {
  id: string;
  connectedAt: number;
  lastSeen: number;
}

/**
 * Connections recorded open whose socket the hub no longer holds: the edge restarted (a deploy,
 * an eviction) and dropped them without a close event, so they ended `edge-restart` — when is
 * unknown; `endedAt` is when the hub noticed. A socket whose close event is still queued looks
 * the same for a moment; device_connections lets that event's verdict replace this one.
 */
export function orphanedConnections(serial: string, open: readonly OpenConnection[], liveIds: ReadonlySet<string>, now: number): Effect[] {
  return open
    .filter((o) => !liveIds.has(o.id))
    .flatMap((o) => endEffects(serial, { connId: o.id, reason: "edge-restart", closeCode: null, endedAt: now, lastSeenAt: Math.min(now, Math.max(o.connectedAt, o.lastSeen)) }));
}
