// Why: a camera streams each viewer peer-to-peer from its own uplink, so the hub caps how many
// watch at once. The decision is pure and sees every live viewer socket, so the DO can count
// and accept in one synchronous step (no await between them: the slot cannot be taken twice).
import { closeReason, DEFAULT_MAX_VIEWERS, MAX_MAX_VIEWERS, MIN_MAX_VIEWERS } from "../../../protocol/index.ts";
import { liveViewers } from "./conns.ts";
import { close } from "./effects.ts";
import { endGraceSession, graceSessions } from "./grace.ts";
import type { Effect, GraceSession, HubState, ViewerConn } from "./types.ts";

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
  return sockets + graceSessions(state).filter((g) => g.conn.sessionId !== conn.sessionId).length;
}

/**
 * The same account's sessions waiting in grace, oldest first. A phone that lost its network
 * and was reopened starts a new session while its old one still waits for a resume that will
 * not come; on a full camera that old session is the one to give up, not the newcomer.
 */
function ownParkedSessions(state: HubState, conn: ViewerConn): GraceSession[] {
  if (conn.userId === null) return []; // access-code viewers are not an identity
  return graceSessions(state)
    .filter((g) => g.conn.userId === conn.userId && g.conn.sessionId !== conn.sessionId)
    .sort((a, b) => a.conn.connectedAt - b.conn.connectedAt);
}

export type SlotDecision = { admitted: true; effects: Effect[] } | { admitted: false; effects: Effect[] };

/**
 * Admits `conn` while the camera has a free slot. A full camera first ends the newcomer's own
 * account's sessions that wait in grace (oldest first, only as many as needed); otherwise it
 * refuses with device_busy, whose error carries `watching`/`limit` so the PWA can say
 * "3 of 3 viewers are watching".
 */
export function claimSlot(state: HubState, conn: ViewerConn, maxViewers: number): SlotDecision {
  const limit = clampMaxViewers(maxViewers);
  const watching = viewersWatching(state, conn);
  if (watching < limit) return { admitted: true, effects: [] };
  const own = ownParkedSessions(state, conn);
  const needed = watching - limit + 1;
  if (own.length >= needed) {
    return { admitted: true, effects: own.slice(0, needed).flatMap((g) => endGraceSession(state, g, "replaced by a new session from the same account")) };
  }
  const text = `${watching} of ${limit} viewers are watching.`;
  return {
    admitted: false,
    effects: [
      { type: "log", event: { event: "viewer_refused", serial: state.serial, sessionId: conn.sessionId, code: "device_busy", detail: text } },
      { type: "send", to: conn.id, message: { type: "error", code: "device_busy", message: text, watching, limit } },
      ...close(conn, 4503, closeReason("device_busy", `${watching} of ${limit} viewers`)),
    ],
  };
}
