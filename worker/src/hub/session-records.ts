// Why: the owner's session history (viewer_sessions in D1) must cover every way a session ends
// — bye, socket gone, camera gone, heartbeat, share revoked, revocation — including ways added
// later. Rather than remembering to record in each handler, the records are derived from the
// phase changes every handler already emits: awaiting-hello → ready starts a session, ready →
// closing ends it (with the close reason the viewer was given). A session that outlives its
// socket (grace, resume: grace.ts) is one row: a resumed socket does not start one, and a socket
// that closes into grace or is replaced by its resume does not end it; grace.ts records the end
// of a session that ends without a socket.
import { holdsSession } from "./grace.ts";
import type { Effect, HubEvent, HubState, SessionRecord, ViewerConn } from "./types.ts";

export function withSessionRecords(state: HubState, event: HubEvent, effects: Effect[]): Effect[] {
  return withSessionRows(state, withD1Records(state, event, effects));
}

/**
 * The DO's own list of sessions under way (grace.ts reads it as grace after a restart): a socket
 * that becomes ready (hello, or a resume's hello with its new token) is stored, an ended
 * session is forgotten.
 */
function withSessionRows(state: HubState, effects: Effect[]): Effect[] {
  const rows: Effect[] = [];
  for (const e of effects) {
    if (e.type === "set-phase" && e.phase === "ready") {
      const conn = state.conns.find((c) => c.id === e.to);
      if (conn?.role === "viewer" && conn.phase === "awaiting-hello") rows.push({ type: "session-put", conn: { ...conn, phase: "ready" } });
    } else if (e.type === "session-record" && e.record.op === "end") {
      rows.push({ type: "grace-drop", sessionId: e.record.sessionId });
    }
  }
  return rows.length ? [...effects, ...rows] : effects;
}

function withD1Records(state: HubState, event: HubEvent, effects: Effect[]): Effect[] {
  const records: Effect[] = [];
  const seen = new Set<string>();
  for (const effect of effects) {
    if (effect.type !== "set-phase" || seen.has(effect.to)) continue;
    // A socket refused or admitted at connect has no session of its own yet (a refused resume
    // must not end the session it named).
    if (event.type === "viewer-connected" && event.conn.id === effect.to) continue;
    const conn = state.conns.find((c) => c.id === effect.to);
    if (conn?.role !== "viewer") continue;
    let record: SessionRecord | undefined;
    if (effect.phase === "ready" && conn.phase === "awaiting-hello" && !conn.resumed) {
      record = { op: "start", sessionId: conn.sessionId, serial: state.serial, userId: conn.userId, role: conn.sessionRole, at: state.now };
    } else if (effect.phase === "closing" && holdsSession(conn) && !continues(conn, event, effects)) {
      record = { op: "end", sessionId: conn.sessionId, at: state.now, reason: endReason(event, conn.id, effects) };
    }
    if (record) {
      seen.add(effect.to);
      records.push({ type: "session-record", record });
    }
  }
  return records.length ? [...effects, ...records] : effects;
}

/** The session lives on without this socket: parked in grace, or moved to its resuming socket. */
function continues(conn: ViewerConn, event: HubEvent, effects: Effect[]): boolean {
  if (effects.some((e) => e.type === "grace-put" && e.session.conn.sessionId === conn.sessionId)) return true;
  return event.type === "viewer-connected" && event.resume !== undefined && event.conn.sessionId === conn.sessionId && event.conn.id !== conn.id;
}

/** The close reason the viewer was given, else why its socket went away. */
function endReason(event: HubEvent, connId: string, effects: Effect[]): string {
  const closed = effects.find((e): e is Extract<Effect, { type: "close" }> => e.type === "close" && e.to === connId);
  if (closed) return closed.reason.slice(0, 200);
  if (event.type === "viewer-closed" && event.conn.id === connId) return `viewer disconnected (${event.code})`;
  return "ended";
}
