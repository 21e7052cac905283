// Why: what the hub does when the camera's socket connects, speaks or goes away.
import {
  assertNever,
  closeReason,
  DeviceToEdgeSchema,
  isSupportedVersion,
  parseMessage,
  PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "../../../protocol/index.ts";
import { currentDevice, isLive, liveViewers, viewerForSession } from "./conns.ts";
import { close, failAndClose, protocolViolation, refuseFrame } from "./effects.ts";
import type { DeviceConn, Effect, Frame, HubState } from "./types.ts";

/** The camera is gone: every viewer hears `device_offline` (4409) and the last-seen time is kept. */
function deviceGone(state: HubState, device: DeviceConn, reason: string): Effect[] {
  const viewers = liveViewers(state);
  const effects: Effect[] = viewers.flatMap((v) => failAndClose(v, "device_offline"));
  if (device.phase === "ready") effects.push({ type: "device-seen" });
  effects.push({
    type: "log",
    event: { event: "device_offline", serial: state.serial, connId: device.id, viewersCut: viewers.length, reason },
  });
  return effects;
}

/** A newly authenticated device socket replaces any older one for the same serial. */
export function onDeviceConnected(state: HubState, conn: DeviceConn): Effect[] {
  const effects: Effect[] = [{ type: "log", event: { event: "device_connected", serial: state.serial, connId: conn.id } }];
  const older = state.conns.filter((c): c is DeviceConn => c.role === "device" && c.id !== conn.id && isLive(c));
  for (const old of older) {
    effects.push(
      { type: "log", event: { event: "device_replaced", serial: state.serial, connId: old.id, by: conn.id } },
      ...close(old, 4000, closeReason("device_replaced")),
    );
  }
  // The old connection's peer connections die with it; its viewers must start over.
  const wasOnline = older.find((c) => c.phase === "ready");
  if (wasOnline) effects.push(...deviceGone(state, wasOnline, "replaced"));
  return effects;
}

export function onDeviceMessage(state: HubState, conn: DeviceConn, frame: Frame): Effect[] {
  if (conn.phase === "closing" || currentDevice(state)?.id !== conn.id) return [];
  const parsed = parseMessage(DeviceToEdgeSchema, frame);
  if (!parsed.ok) return [...refuseFrame(conn, parsed), ...deviceGone(state, conn, parsed.code)];
  const msg = parsed.value;

  if (conn.phase === "awaiting-hello") {
    if (msg.type !== "hello") return [...protocolViolation(conn, "expected hello first"), ...deviceGone(state, conn, "no hello")];
    if (!isSupportedVersion(msg.v)) {
      return failAndClose(conn, "unsupported_version", `Device speaks v${msg.v}; this edge speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")}.`);
    }
    return [
      { type: "set-phase", to: conn.id, phase: "ready" },
      { type: "send", to: conn.id, message: { type: "welcome", v: PROTOCOL_VERSION, serial: state.serial, heartbeatSeconds: state.heartbeatSeconds } },
      { type: "device-seen" },
      { type: "log", event: { event: "device_online", serial: state.serial, connId: conn.id, agent: `${msg.agent.source}/${msg.agent.version}` } },
    ];
  }

  switch (msg.type) {
    case "hello":
      return [...protocolViolation(conn, "duplicate hello"), ...deviceGone(state, conn, "duplicate hello")];
    case "offer":
    case "candidate": {
      const viewer = viewerForSession(state, msg.sessionId);
      if (!viewer) return unknownSession(state, conn, msg.sessionId, msg.type);
      const message = msg.type === "offer" ? { type: "offer" as const, sdp: msg.sdp } : { type: "candidate" as const, candidate: msg.candidate };
      return [{ type: "send", to: viewer.id, message }];
    }
    case "bye": {
      const viewer = viewerForSession(state, msg.sessionId);
      if (!viewer) return [];
      const reason = msg.reason ?? "The camera ended the session.";
      return [
        { type: "send", to: viewer.id, message: { type: "session-end", reason } },
        ...close(viewer, 1000, closeReason("session_ended")),
        { type: "log", event: { event: "session_ended", serial: state.serial, sessionId: msg.sessionId, by: "device", reason } },
      ];
    }
    default:
      return assertNever(msg);
  }
}

/** The device spoke about a session that is over: tell it, keep the socket. */
function unknownSession(state: HubState, conn: DeviceConn, sessionId: string, type: string): Effect[] {
  return [
    { type: "send", to: conn.id, message: { type: "error", code: "session_ended", message: "No viewer is in this session.", sessionId } },
    { type: "log", event: { event: "unknown_session", serial: state.serial, sessionId, type } },
  ];
}

export function onDeviceClosed(state: HubState, conn: DeviceConn, code: number, reason: string): Effect[] {
  // Already handled when the hub decided to close it (replaced, refused frame).
  if (conn.phase === "closing") return [];
  const wasCurrent = currentDevice(state)?.id === conn.id;
  const effects: Effect[] = [{ type: "set-phase", to: conn.id, phase: "closing" }];
  if (wasCurrent) effects.push(...deviceGone(state, conn, `closed ${code}${reason ? ` ${reason}` : ""}`));
  return effects;
}
