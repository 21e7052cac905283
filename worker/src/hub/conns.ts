// Why: presence and routing are derived from the sockets the hub holds (not from fields in
// memory that hibernation would wipe); these helpers read that list.
import type { Conn, DeviceConn, HubState, ViewerConn } from "./types.ts";

export function isLive(c: Conn): boolean {
  return c.phase !== "closing";
}

/** The device socket in charge: the newest one not being closed. */
export function currentDevice(state: HubState): DeviceConn | undefined {
  let best: DeviceConn | undefined;
  for (const c of state.conns) {
    if (c.role !== "device" || !isLive(c)) continue;
    if (!best || c.connectedAt > best.connectedAt || (c.connectedAt === best.connectedAt && c.id > best.id)) best = c;
  }
  return best;
}

/** The device socket, if it has said hello (the camera is online). */
export function readyDevice(state: HubState): DeviceConn | undefined {
  const d = currentDevice(state);
  return d?.phase === "ready" ? d : undefined;
}

export function liveViewers(state: HubState): ViewerConn[] {
  return state.conns.filter((c): c is ViewerConn => c.role === "viewer" && isLive(c));
}

export function viewerForSession(state: HubState, sessionId: string): ViewerConn | undefined {
  return liveViewers(state).find((v) => v.sessionId === sessionId && v.phase === "ready");
}

export interface HubPresence {
  online: boolean;
  /** Viewers with a session under way (said hello). */
  viewers: number;
}

/** A session whose socket is open or in grace counts as watching (it still holds its slot). */
export function presenceOf(state: HubState): HubPresence {
  const withSocket = liveViewers(state).filter((v) => v.phase === "ready" || v.resumed === true).length;
  return {
    online: readyDevice(state) !== undefined,
    viewers: withSocket + (state.grace?.length ?? 0),
  };
}

/** The camera's socket dropped with sessions under way and may still come back for them. */
export function deviceAway(state: HubState): boolean {
  return state.deviceAwayUntil != null && state.now < state.deviceAwayUntil;
}
