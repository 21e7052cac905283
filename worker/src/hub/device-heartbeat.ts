// Why: a camera whose network went away (Wi-Fi dropped, router unplugged) does not close its
// socket: nothing reaches the edge, and TCP may keep the socket "open" for many minutes. The
// agent pings every heartbeatSeconds (workerd answers without waking the object), so the hub's
// alarm closes a camera silent for HEARTBEAT_MISSES intervals and records it stopped-answering.
import { currentDevice } from "./conns.ts";
import { connectionEnded, deviceLastSeen } from "./connection-end.ts";
import { deviceAwayOrGone } from "./device-events.ts";
import { failAndClose } from "./effects.ts";
import { nextHeartbeatAt } from "./heartbeat.ts";
import type { Effect, HubState } from "./types.ts";

/** Pings the camera may miss before the edge gives up on it (the agent gives up after 2). */
export const HEARTBEAT_MISSES = 3;

/** How long a camera may stay silent before the edge closes it. */
export function deviceTimeoutMs(heartbeatSeconds: number): number {
  return HEARTBEAT_MISSES * heartbeatSeconds * 1000;
}

/** Alarm tick: the current camera socket, if silent past its timeout, is closed (4408). */
export function onDeviceHeartbeat(state: HubState): Effect[] {
  const device = currentDevice(state);
  if (!device) return [];
  const silentMs = state.now - deviceLastSeen(device);
  if (silentMs <= deviceTimeoutMs(state.heartbeatSeconds)) return [];
  return [
    ...failAndClose(device, "heartbeat_timeout", `No ping for ${Math.round(silentMs / 1000)} s.`),
    ...connectionEnded(state.serial, device, "stopped-answering", 4408, state.now),
    ...deviceAwayOrGone(state, device, "stopped answering"),
  ];
}

/** When the camera's silence should next be checked; null without a camera socket. */
export function nextDeviceCheckAt(state: HubState): number | null {
  const device = currentDevice(state);
  if (!device) return null;
  // Just after the moment it would be overdue; its pings move that moment on.
  const due = deviceLastSeen(device) + deviceTimeoutMs(state.heartbeatSeconds) + 1_000;
  return Math.max(due, state.now + 1_000);
}

/** The hub's next alarm: viewers' heartbeat, grace and absence (heartbeat.ts) or the camera's. */
export function nextCheckAt(state: HubState): number | null {
  const times = [nextHeartbeatAt(state), nextDeviceCheckAt(state)].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

