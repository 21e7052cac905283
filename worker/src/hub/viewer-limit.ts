// Why: a camera streams each viewer peer-to-peer from its own uplink, so the hub caps how many
// watch at once. The decision is pure and sees every live viewer socket, so the DO can count
// and accept in one synchronous step (no await between them: the slot cannot be taken twice).
import { closeReason, DEFAULT_MAX_VIEWERS, MAX_MAX_VIEWERS, MIN_MAX_VIEWERS } from "../../../protocol/index.ts";
import { liveViewers } from "./conns.ts";
import { close } from "./effects.ts";
import type { Effect, HubState, ViewerConn } from "./types.ts";

/** A limit from D1 (or a header) clamped to what an owner may set; junk means the default. */
export function clampMaxViewers(value: unknown): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) return DEFAULT_MAX_VIEWERS;
  return Math.min(MAX_MAX_VIEWERS, Math.max(MIN_MAX_VIEWERS, n));
}

/**
 * Viewers already holding a slot: every live viewer socket except `conn` (awaiting hello or in
 * session), plus sessions in grace (their viewer may resume any second).
 */
export function viewersWatching(state: HubState, conn: ViewerConn): number {
  const sockets = liveViewers(state).filter((v) => v.id !== conn.id && v.sessionId !== conn.sessionId).length;
  return sockets + (state.grace ?? []).filter((g) => g.conn.sessionId !== conn.sessionId).length;
}

/**
 * Refuses `conn` with device_busy when the camera is full, or returns null to admit it.
 * The error carries `watching`/`limit` so the PWA can say "3 of 3 viewers are watching".
 */
export function refuseIfFull(state: HubState, conn: ViewerConn, maxViewers: number): Effect[] | null {
  const limit = clampMaxViewers(maxViewers);
  const watching = viewersWatching(state, conn);
  if (watching < limit) return null;
  const text = `${watching} of ${limit} viewers are watching.`;
  return [
    { type: "log", event: { event: "viewer_refused", serial: state.serial, sessionId: conn.sessionId, code: "device_busy", detail: text } },
    { type: "send", to: conn.id, message: { type: "error", code: "device_busy", message: text, watching, limit } },
    ...close(conn, 4503, closeReason("device_busy", `${watching} of ${limit} viewers`)),
  ];
}
