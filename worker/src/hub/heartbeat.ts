// Why: a viewer whose tab or network vanished without a close frame would hold its slot until
// TCP gives up (minutes). Viewers send the text frame "ping" every 5 s, which workerd answers
// itself (setWebSocketAutoResponse) without waking the object; an alarm every few seconds
// closes viewers silent for longer than the timeout, so the slot frees within seconds.
import { liveViewers } from "./conns.ts";
import type { HubState, ViewerConn } from "./types.ts";

/** How often viewers ping (the PWA's interval) and how long silence is tolerated (3 missed pings). */
export const VIEWER_PING_INTERVAL_MS = 5_000;
export const VIEWER_HEARTBEAT_TIMEOUT_MS = 15_000;
/** Alarm period while any viewer is connected. */
export const HEARTBEAT_CHECK_INTERVAL_MS = 5_000;

/** The last sign of life: a frame the hub handled, an auto-answered ping, or the connect itself. */
export function lastActivity(viewer: ViewerConn, lastPongAt: number | undefined): number {
  return Math.max(viewer.connectedAt, viewer.lastActiveAt ?? 0, lastPongAt ?? 0);
}

/** Live viewers silent for longer than `timeoutMs` at `now`. */
export function staleViewers(
  state: HubState,
  lastPongAt: Readonly<Record<string, number>>,
  timeoutMs = VIEWER_HEARTBEAT_TIMEOUT_MS,
): ViewerConn[] {
  return liveViewers(state).filter((v) => state.now - lastActivity(v, lastPongAt[v.id]) > timeoutMs);
}

/**
 * When the next check should run, or null when nothing is left to watch over: no viewer socket,
 * no session in grace (grace.ts), no device absence to time out.
 */
export function nextHeartbeatAt(state: HubState): number | null {
  const waiting = (state.grace?.length ?? 0) > 0 || state.deviceAwayUntil != null;
  return liveViewers(state).length > 0 || waiting ? state.now + HEARTBEAT_CHECK_INTERVAL_MS : null;
}
