// Why: the owner's session history (viewer_sessions in D1) must cover every way a session ends
// — bye, socket gone, camera gone, heartbeat, share revoked, revocation — including ways added
// later. Rather than remembering to record in each handler, the records are derived from the
// phase changes every handler already emits: awaiting-hello → ready starts a session, ready →
// closing ends it (with the close reason the viewer was given).
import type { Effect, HubEvent, HubState, SessionRecord } from "./types.ts";

export function withSessionRecords(state: HubState, event: HubEvent, effects: Effect[]): Effect[] {
  const records: Effect[] = [];
  const seen = new Set<string>();
  for (const effect of effects) {
    if (effect.type !== "set-phase" || seen.has(effect.to)) continue;
    const conn = state.conns.find((c) => c.id === effect.to);
    if (conn?.role !== "viewer") continue;
    let record: SessionRecord | undefined;
    if (effect.phase === "ready" && conn.phase === "awaiting-hello") {
      record = { op: "start", sessionId: conn.sessionId, serial: state.serial, userId: conn.userId, role: conn.sessionRole, at: state.now };
    } else if (effect.phase === "closing" && conn.phase === "ready") {
      record = { op: "end", sessionId: conn.sessionId, at: state.now, reason: endReason(event, conn.id, effects) };
    }
    if (record) {
      seen.add(effect.to);
      records.push({ type: "session-record", record });
    }
  }
  return records.length ? [...effects, ...records] : effects;
}

/** The close reason the viewer was given, else why its socket went away. */
function endReason(event: HubEvent, connId: string, effects: Effect[]): string {
  const closed = effects.find((e): e is Extract<Effect, { type: "close" }> => e.type === "close" && e.to === connId);
  if (closed) return closed.reason.slice(0, 200);
  if (event.type === "viewer-closed" && event.conn.id === connId) return `viewer disconnected (${event.code})`;
  return "ended";
}
