// Why: the hub's state lives in memory between events and is rebuilt from storage only when the
// object wakes (wake.ts). Rebuilding it from every socket attachment and SQLite for each frame
// cost more CPU than the signaling itself. This is that memory and the one reducer that moves
// it forward from the hub's effects, shared by the DO shell and the unit tests' fake hub.
import type { Conn, Effect, GraceSession, HubState, ViewerConn } from "./types.ts";

/** A session under way as DO SQLite keeps it (live_sessions): `until` null while on a socket. */
export interface StoredSession {
  conn: ViewerConn;
  /** Epoch ms the grace ends, or null while a socket carries the session. */
  until: number | null;
}

export interface HubMemory {
  /** Every socket the hub holds, by conn id (phase as the hub last decided it). */
  conns: Map<string, Conn>;
  /** Sessions under way, by session id (said hello or resumed; in grace when `until` is set). */
  sessions: Map<string, StoredSession>;
  /** Until when the hub waits for the camera's socket to come back (null: not away). */
  deviceAwayUntil: number | null;
}

export function emptyMemory(): HubMemory {
  return { conns: new Map(), sessions: new Map(), deviceAwayUntil: null };
}

/** Sessions waiting for a resume: the stored ones with a deadline. */
export function graceOf(memory: HubMemory): GraceSession[] {
  const grace: GraceSession[] = [];
  for (const s of memory.sessions.values()) if (s.until !== null) grace.push({ conn: s.conn, until: s.until });
  return grace;
}

/** The parts of HubState that come from configuration, not from the hub's memory. */
export type HubConfig = Pick<HubState, "serial" | "iceServers" | "turnRegions" | "heartbeatSeconds">;

/** The pure logic's input for one event at `now`. */
export function stateOf(memory: HubMemory, config: HubConfig, now: number, conns: readonly Conn[] = [...memory.conns.values()]): HubState {
  return { ...config, conns, grace: graceOf(memory), deviceAwayUntil: memory.deviceAwayUntil, now };
}

/** Moves the memory forward by the effects the hub decided (phases, sessions, grace, absence). */
export function remember(memory: HubMemory, effects: readonly Effect[]): void {
  for (const e of effects) rememberOne(memory, e);
}

/**
 * One effect's change to the memory; returns whether it changed anything, so the shell writes
 * storage (attachment, SQLite) only then. Effects that are not about the hub's state: false.
 */
export function rememberOne(memory: HubMemory, e: Effect): boolean {
  switch (e.type) {
    case "set-phase": {
      const c = memory.conns.get(e.to);
      if (!c || c.phase === e.phase) return false;
      memory.conns.set(e.to, { ...c, phase: e.phase });
      return true;
    }
    case "session-put":
      memory.sessions.set(e.conn.sessionId, { conn: e.conn, until: null });
      return true;
    case "grace-put":
      memory.sessions.set(e.session.conn.sessionId, { conn: e.session.conn, until: e.session.until });
      return true;
    case "grace-drop":
      return memory.sessions.delete(e.sessionId);
    case "device-away": {
      const changed = memory.deviceAwayUntil !== e.until;
      memory.deviceAwayUntil = e.until;
      return changed;
    }
    default:
      return false;
  }
}
