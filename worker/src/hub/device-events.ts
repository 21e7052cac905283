// Why: what the hub does when the camera's socket connects, speaks or goes away. The agent
// reconnects on its own and keeps its connected sessions (they are peer-to-peer), so a dropped
// device socket is first an absence: viewers stay until it comes back (its hello lists the
// sessions it kept) or DEVICE_AWAY_MS runs out.
import {
  assertNever,
  closeReason,
  DEVICE_EVENT_MESSAGE,
  DEVICE_STATUS_MESSAGE,
  DeviceToEdgeSchema,
  ERROR_CODES,
  type ConnectionEndReason,
  isSupportedVersion,
  parseMessage,
  PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "../../../protocol/index.ts";
import { deviceStunUrls } from "../turn/index.ts";
import { currentDevice, isLive, liveViewers, viewerForSession } from "./conns.ts";
import { connectionEnded, reasonForClose } from "./connection-end.ts";
import { close, failAndClose, protocolViolation, refuseFrame } from "./effects.ts";
import { endGraceSession, graceSessions, holdsSession } from "./grace.ts";
import type { DeviceConn, Effect, Frame, HubState } from "./types.ts";

/**
 * How long the hub waits for a camera socket to come back before cutting its viewers: the
 * agent's first reconnects come within ~3 s (reconnect-policy.ts); a deploy takes longer.
 */
export const DEVICE_AWAY_MS = 30_000;

/** The camera is gone: every viewer hears `device_offline` (4409) and the last-seen time is kept. */
function deviceGone(state: HubState, device: DeviceConn, reason: string): Effect[] {
  const viewers = liveViewers(state);
  const effects: Effect[] = viewers.flatMap((v) => failAndClose(v, "device_offline"));
  effects.push(...graceSessions(state).flatMap((g) => endGraceSession(state, g, "device_offline")));
  if (state.deviceAwayUntil != null) effects.push({ type: "device-away", until: null });
  if (device.phase === "ready") effects.push({ type: "device-seen" });
  effects.push({
    type: "log",
    event: { event: "device_offline", serial: state.serial, connId: device.id, viewersCut: viewers.length, reason },
  });
  return effects;
}

/** Sessions under way (with a socket or in grace), which a reconnecting camera may still play. */
function sessionsUnderWay(state: HubState): number {
  return liveViewers(state).filter(holdsSession).length + graceSessions(state).length;
}

/** The camera's socket dropped: wait for it while sessions are under way, else it is gone. */
export function deviceAwayOrGone(state: HubState, device: DeviceConn, reason: string): Effect[] {
  const sessions = sessionsUnderWay(state);
  if (sessions === 0 || device.phase !== "ready") return deviceGone(state, device, reason);
  return [
    { type: "device-away", until: state.now + DEVICE_AWAY_MS },
    { type: "device-seen" },
    { type: "log", event: { event: "device_away", serial: state.serial, connId: device.id, sessionsKept: sessions, waitMs: DEVICE_AWAY_MS, reason } },
  ];
}

/** The wait for the camera's socket ran out (checked on the alarm tick). */
export function deviceAwayExpired(state: HubState): boolean {
  return state.deviceAwayUntil != null && state.now >= state.deviceAwayUntil;
}

/** Alarm tick: the camera did not come back in time; its viewers are cut. */
export function onDeviceAwayExpired(state: HubState): Effect[] {
  if (!deviceAwayExpired(state)) return [];
  const device = currentDevice(state);
  if (device?.phase === "ready") return [{ type: "device-away", until: null }];
  const gone: DeviceConn = device ?? { role: "device", id: "-", serial: state.serial, phase: "closing", connectedAt: 0 };
  return deviceGone(state, gone, "did not come back");
}

/**
 * The camera said hello again: sessions it still plays carry on, the hub's other sessions end
 * (the viewer hears session-end), and sessions it plays that the hub no longer knows are ended
 * on the device.
 */
function reconcile(state: HubState, device: DeviceConn, deviceSessions: readonly string[]): Effect[] {
  const onDevice = new Set(deviceSessions);
  const known = new Set<string>();
  const effects: Effect[] = [];
  let ended = 0;
  for (const v of liveViewers(state).filter(holdsSession)) {
    known.add(v.sessionId);
    if (onDevice.has(v.sessionId)) continue;
    ended++;
    const reason = "The camera restarted and lost this session.";
    effects.push({ type: "send", to: v.id, message: { type: "session-end", reason } }, ...close(v, 1000, closeReason("session_ended")));
  }
  for (const g of graceSessions(state)) {
    known.add(g.conn.sessionId);
    if (onDevice.has(g.conn.sessionId)) continue;
    ended++;
    effects.push(...endGraceSession(state, g, "the camera lost this session"));
  }
  const unknown = deviceSessions.filter((id) => !known.has(id));
  for (const sessionId of unknown) {
    effects.push({ type: "send", to: device.id, message: { type: "session-end", sessionId, reason: "session_ended: unknown to the edge" } });
  }
  if (state.deviceAwayUntil != null) effects.push({ type: "device-away", until: null });
  if (known.size > 0 || unknown.length > 0) {
    effects.push({
      type: "log",
      event: { event: "device_sessions_reconciled", serial: state.serial, kept: known.size - ended, ended, unknownToEdge: unknown.length },
    });
  }
  return effects;
}

/** A newly authenticated device socket replaces any older one for the same serial. */
export function onDeviceConnected(state: HubState, conn: DeviceConn): Effect[] {
  const effects: Effect[] = [
    { type: "connection-open", conn },
    { type: "log", event: { event: "device_connected", serial: state.serial, connId: conn.id } },
  ];
  const older = state.conns.filter((c): c is DeviceConn => c.role === "device" && c.id !== conn.id && isLive(c));
  for (const old of older) {
    effects.push(
      { type: "log", event: { event: "device_replaced", serial: state.serial, connId: old.id, by: conn.id } },
      ...close(old, 4000, closeReason("device_replaced")),
      ...connectionEnded(state.serial, old, "replaced", 4000, state.now),
    );
  }
  // The agent reconnected before the old socket was seen closing: its peer connections live on
  // in the same process, so wait for the new socket's hello to say which sessions it kept.
  const wasOnline = older.find((c) => c.phase === "ready");
  if (wasOnline) effects.push(...deviceAwayOrGone(state, wasOnline, "replaced"));
  return effects;
}

export function onDeviceMessage(state: HubState, conn: DeviceConn, frame: Frame): Effect[] {
  if (conn.phase === "closing" || currentDevice(state)?.id !== conn.id) return [];
  const parsed = parseMessage(DeviceToEdgeSchema, frame);
  if (!parsed.ok) return [...refuseFrame(conn, parsed), ...refused(state, conn, parsed.closeCode), ...deviceGone(state, conn, parsed.code)];
  const msg = parsed.value;

  if (conn.phase === "awaiting-hello") {
    if (msg.type !== "hello") return [...protocolViolation(conn, "expected hello first"), ...refused(state, conn, 1008), ...deviceGone(state, conn, "no hello")];
    if (!isSupportedVersion(msg.v)) {
      return [
        ...failAndClose(conn, "unsupported_version", `Device speaks v${msg.v}; this edge speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")}.`),
        ...refused(state, conn, ERROR_CODES.unsupported_version.close),
      ];
    }
    const stun = deviceStunUrls(state.iceServers, state.turnRegions ?? [], conn.location ?? {});
    const welcome = { type: "welcome" as const, v: PROTOCOL_VERSION, serial: state.serial, heartbeatSeconds: state.heartbeatSeconds, accepts: [DEVICE_STATUS_MESSAGE, DEVICE_EVENT_MESSAGE], ...(stun.length ? { stun } : {}) };
    return [
      { type: "set-phase", to: conn.id, phase: "ready" },
      { type: "send", to: conn.id, message: welcome },
      { type: "device-seen" },
      { type: "log", event: { event: "device_online", serial: state.serial, connId: conn.id, agent: `${msg.agent.source}/${msg.agent.version}` } },
      // After set-phase: session-end for unknown sessions goes to this (now ready) socket.
      ...reconcile({ ...state, conns: state.conns.map((c) => (c.id === conn.id ? { ...conn, phase: "ready" as const } : c)) }, conn, msg.sessions ?? []),
    ];
  }

  switch (msg.type) {
    case "hello":
      return [...protocolViolation(conn, "duplicate hello"), ...refused(state, conn, 1008), ...deviceGone(state, conn, "duplicate hello")];
    case "offer":
    case "candidate": {
      const viewer = viewerForSession(state, msg.sessionId);
      // A session in grace has no socket to relay to: its viewer resumes and asks for a restart.
      if (!viewer && inGrace(state, msg.sessionId)) return [];
      if (!viewer) return unknownSession(state, conn, msg.sessionId, msg.type);
      const message = msg.type === "offer" ? { type: "offer" as const, sdp: msg.sdp } : { type: "candidate" as const, candidate: msg.candidate };
      return [{ type: "send", to: viewer.id, message }];
    }
    case "status": {
      const { natType, mapping, filtering, hairpinning } = msg.nat;
      return [
        { type: "device-nat", nat: msg.nat },
        { type: "log", event: { event: "device_nat", serial: state.serial, natType, mapping, filtering, hairpinning } },
      ];
    }
    case "event":
      // The picture never reaches the edge: the notification names the camera and the time.
      return [
        { type: "log", event: { event: "camera_event", serial: state.serial, eventId: msg.event.id, kind: msg.event.kind, startedAt: msg.event.startedAt } },
        { type: "notify", cameraEvent: { id: msg.event.id, kind: msg.event.kind, startedAt: msg.event.startedAt } },
        { type: "record-event", cameraEvent: { id: msg.event.id, kind: msg.event.kind, startedAt: msg.event.startedAt } },
      ];
    case "bye": {
      const viewer = viewerForSession(state, msg.sessionId);
      const parked = graceSessions(state).find((g) => g.conn.sessionId === msg.sessionId);
      if (!viewer && parked) return endGraceSession(state, parked, msg.reason ?? "The camera ended the session.");
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

function inGrace(state: HubState, sessionId: string): boolean {
  return graceSessions(state).some((g) => g.conn.sessionId === sessionId);
}

/** The device spoke about a session that is over: tell it, keep the socket. */
function unknownSession(state: HubState, conn: DeviceConn, sessionId: string, type: string): Effect[] {
  return [
    { type: "send", to: conn.id, message: { type: "error", code: "session_ended", message: "No viewer is in this session.", sessionId } },
    { type: "log", event: { event: "unknown_session", serial: state.serial, sessionId, type } },
  ];
}

/**
 * The camera sent more than its budget (frame-budget.ts): treated like a refused frame — closed
 * 1008 with the reason and recorded as a protocol error; its viewers are cut (it reconnects).
 */
export function onDeviceOverBudget(state: HubState, conn: DeviceConn, detail: string): Effect[] {
  if (conn.phase === "closing" || currentDevice(state)?.id !== conn.id) return [];
  return [
    { type: "log", event: { event: "frame_refused", serial: state.serial, role: "device", code: "too_many_messages", detail } },
    ...failAndClose(conn, "too_many_messages", detail),
    ...refused(state, conn, ERROR_CODES.too_many_messages.close),
    ...deviceGone(state, conn, "too_many_messages"),
  ];
}

/** The edge refused the camera's frames: recorded as a protocol error with the close code sent. */
function refused(state: HubState, conn: DeviceConn, closeCode: number): Effect[] {
  return connectionEnded(state.serial, conn, "protocol-error", closeCode, state.now);
}

/**
 * `final`: the edge cut it (revoked, token bumped) and it must not keep its viewers. `ended`:
 * why, when the edge decided it; otherwise the camera's close code says (connection-end.ts).
 */
export function onDeviceClosed(state: HubState, conn: DeviceConn, code: number, reason: string, final = false, ended?: ConnectionEndReason): Effect[] {
  // Already handled when the hub decided to close it (replaced, refused frame, silent).
  if (conn.phase === "closing") return [];
  const wasCurrent = currentDevice(state)?.id === conn.id;
  const effects: Effect[] = [
    { type: "set-phase", to: conn.id, phase: "closing" },
    ...connectionEnded(state.serial, conn, ended ?? reasonForClose(code), code, state.now),
  ];
  const why = `closed ${code}${reason ? ` ${reason}` : ""}`;
  if (wasCurrent) effects.push(...(final ? deviceGone(state, conn, why) : deviceAwayOrGone(state, conn, why)));
  return effects;
}
