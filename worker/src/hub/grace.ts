// Why: a signaling socket is not the session. Phones switch networks and the edge redeploys;
// media keeps flowing peer-to-peer meanwhile. So when a viewer's socket drops, the hub keeps its
// session (slot, device side) for a grace period and lets the viewer resume it with the token
// it got in welcome; only a viewer that does not come back ends as before. Pure: state → effects.
import { closeReason, VIEWER_RESUME_GRACE_MS } from "../../../protocol/index.ts";
import { liveViewers, readyDevice } from "./conns.ts";
import { close, failAndClose } from "./effects.ts";
import { tokensEqual } from "./resume-token.ts";
import type { Effect, GraceSession, HubState, ViewerConn } from "./types.ts";

/** How long a viewer session outlives its socket, waiting for a resume (shared with the PWA). */
export const VIEWER_GRACE_MS = VIEWER_RESUME_GRACE_MS;

/** True for a socket that carries a session the device knows (said hello, or resumed one). */
export function holdsSession(v: ViewerConn): boolean {
  return v.phase === "ready" || v.resumed === true;
}

export function graceSessions(state: HubState): readonly GraceSession[] {
  return state.grace ?? [];
}

/** The session's socket dropped (or went silent): keep it for VIEWER_GRACE_MS. */
export function parkInGrace(state: HubState, conn: ViewerConn, reason: string): Effect[] {
  return [
    { type: "grace-put", session: { conn: { ...conn, phase: "ready" }, until: state.now + VIEWER_GRACE_MS } },
    { type: "log", event: { event: "viewer_grace", serial: state.serial, sessionId: conn.sessionId, reason, graceMs: VIEWER_GRACE_MS } },
  ];
}

/** Ends a session that has no socket: off the grace list, off the device, into the history. */
export function endGraceSession(state: HubState, g: GraceSession, reason: string): Effect[] {
  const device = readyDevice(state);
  const sessionId = g.conn.sessionId;
  return [
    { type: "grace-drop", sessionId },
    ...(device ? [{ type: "send", to: device.id, message: { type: "session-end", sessionId, reason } } satisfies Effect] : []),
    { type: "session-record", record: { op: "end", sessionId, at: state.now, reason: reason.slice(0, 200) } },
    { type: "log", event: { event: "session_ended", serial: state.serial, sessionId, by: "edge", reason } },
  ];
}

/** Alarm tick: sessions whose viewer did not come back in time end as if it had left. */
export function onGraceExpired(state: HubState): Effect[] {
  return graceSessions(state)
    .filter((g) => g.until <= state.now)
    .flatMap((g) => endGraceSession(state, g, "viewer did not come back (signaling lost)"));
}

export type Resumable = { from: "grace"; session: GraceSession } | { from: "socket"; conn: ViewerConn };

/**
 * The session `token` continues, if any: one in grace, or one whose old socket the hub still
 * holds (a half-open TCP connection the viewer has already given up on). The token must be the
 * one the session's latest socket was welcomed with: an older one was used up by a resume.
 */
export function findResumable(state: HubState, sessionId: string, token: string, excludingConnId?: string): Resumable | undefined {
  const g = graceSessions(state).find((s) => s.conn.sessionId === sessionId);
  if (g) return g.conn.resumeToken !== undefined && tokensEqual(g.conn.resumeToken, token) ? { from: "grace", session: g } : undefined;
  const live = liveViewers(state).find((v) => v.sessionId === sessionId && v.id !== excludingConnId && holdsSession(v));
  if (live?.resumeToken !== undefined && tokensEqual(live.resumeToken, token)) return { from: "socket", conn: live };
  return undefined;
}

/**
 * A socket presented a resume token. Accepted: the session moves onto it (out of grace, or off
 * its old socket) and keeps its slot without a limit check; hello is then welcomed without a
 * new session-start. Refused (unknown, another session's, used or expired token): session_ended.
 */
export function onResume(state: HubState, conn: ViewerConn, token: string, deviceThere: boolean): Effect[] {
  if (!deviceThere) {
    return [
      { type: "log", event: { event: "viewer_refused", serial: state.serial, sessionId: conn.sessionId, code: "device_offline" } },
      ...failAndClose(conn, "device_offline"),
    ];
  }
  const found = findResumable(state, conn.sessionId, token, conn.id);
  if (!found) {
    return [
      { type: "log", event: { event: "viewer_refused", serial: state.serial, sessionId: conn.sessionId, code: "session_ended", detail: "resume refused" } },
      ...failAndClose(conn, "session_ended", "It cannot be resumed."),
    ];
  }
  // Out of grace: the session is on a socket again (its stored token is now this socket's).
  const effects: Effect[] =
    found.from === "grace"
      ? [{ type: "session-put", conn }]
      : close(found.conn, 4010, closeReason("session_ended", "resumed on a new connection"));
  effects.push({ type: "log", event: { event: "session_resumed", serial: state.serial, sessionId: conn.sessionId, replaced: found.from } });
  return effects;
}
