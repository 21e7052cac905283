// Why: the one entry point of the hub's pure logic: (state, event) → effects.
import { assertNever } from "../../../protocol/index.ts";
import { deviceAwayExpired, onDeviceAwayExpired, onDeviceClosed, onDeviceConnected, onDeviceMessage, onDeviceOverBudget } from "./device-events.ts";
import { onDeviceHeartbeat } from "./device-heartbeat.ts";
import { onGraceExpired } from "./grace.ts";
import { withSessionRecords } from "./session-records.ts";
import type { Effect, HubEvent, HubState } from "./types.ts";
import { onWake } from "./wake.ts";
import { onEndSessions, onHeartbeat, onViewerClosed, onViewerConnected, onViewerMessage, onViewerOverBudget } from "./viewer-events.ts";

export function handleHubEvent(state: HubState, event: HubEvent): Effect[] {
  return withSessionRecords(state, event, dispatch(state, event));
}

function dispatch(state: HubState, event: HubEvent): Effect[] {
  switch (event.type) {
    case "device-connected":
      return onDeviceConnected(state, event.conn);
    case "device-message":
      return onDeviceMessage(state, event.conn, event.frame);
    case "device-closed":
      return onDeviceClosed(state, event.conn, event.code, event.reason, event.final, event.ended);
    case "viewer-connected":
      return onViewerConnected(state, event.conn, event.maxViewers, event.resume, event.helloFollows);
    case "viewer-message":
      return onViewerMessage(state, event.conn, event.frame);
    case "viewer-closed":
      return onViewerClosed(state, event.conn, event.code);
    case "over-budget":
      return event.conn.role === "viewer" ? onViewerOverBudget(state, event.conn, event.detail) : onDeviceOverBudget(state, event.conn, event.detail);
    case "heartbeat":
      // A camera that did not come back ends every session at once; else heartbeat and grace run.
      if (deviceAwayExpired(state)) return onDeviceAwayExpired(state);
      return [...onDeviceHeartbeat(state), ...onHeartbeat(state, event.lastPongAt), ...onGraceExpired(state)];
    case "end-sessions":
      return onEndSessions(state, event.code, event.userId);
    case "wake":
      return onWake(state, event.sessions, event.open);
    default:
      return assertNever(event);
  }
}
