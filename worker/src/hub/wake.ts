// Why: the hub's memory is lost when its object is evicted (hibernation, a deploy, a crash) and
// rebuilt from storage on the next event. Hibernation keeps the sockets; a restart drops them
// all without a close event. This decides, once per wake and from storage alone, what a
// restart left behind: sessions whose socket vanished start their grace now (grace.ts), a
// camera whose socket vanished with sessions under way is away from now (device-events.ts),
// and device connections noted open without a socket ended in the restart (connection-end.ts).
import { currentDevice, liveViewers } from "./conns.ts";
import { orphanedConnections, type OpenConnection } from "./connection-end.ts";
import { DEVICE_AWAY_MS } from "./device-events.ts";
import { parkInGrace } from "./grace.ts";
import type { StoredSession } from "./hub-memory.ts";
import type { Effect, HubState } from "./types.ts";

/**
 * `sessions`: every session stored as under way; `open`: device connections noted open. With
 * the sockets still there (a wake from hibernation) nothing changes and nothing is written.
 */
export function onWake(state: HubState, sessions: readonly StoredSession[], open: readonly OpenConnection[]): Effect[] {
  const attached = new Set(liveViewers(state).map((v) => v.sessionId));
  const effects: Effect[] = [];
  for (const s of sessions) {
    if (s.until === null && !attached.has(s.conn.sessionId)) effects.push(...parkInGrace(state, s.conn, "socket lost in an edge restart"));
  }
  if (sessions.length > 0 && state.deviceAwayUntil == null && !currentDevice(state)) {
    effects.push({ type: "device-away", until: state.now + DEVICE_AWAY_MS });
  }
  effects.push(...orphanedConnections(state.serial, open, new Set(state.conns.map((c) => c.id)), state.now));
  return effects;
}
