// Why: what the hub does for one viewer socket: hello starts the session on the device, answers
// and candidates are relayed with the session id added. A session normally lives on one socket;
// when that socket drops the session waits in grace for a resume on a new one (grace.ts).
import {
  assertNever,
  closeReason,
  ERROR_CODES,
  isSupportedVersion,
  parseMessage,
  PROTOCOL_VERSION,
  ViewerToEdgeSchema,
  type ErrorCode,
} from "../../../protocol/index.ts";
import { deviceAway, liveViewers, readyDevice } from "./conns.ts";
import { close, failAndClose, protocolViolation, refuseFrame } from "./effects.ts";
import { iceServersWithTurn } from "../turn/index.ts";
import { endGraceSession, graceSessions, holdsSession, onResume, parkInGrace } from "./grace.ts";
import { staleViewers } from "./heartbeat.ts";
import type { Effect, Frame, HubState, ViewerConn } from "./types.ts";
import { claimSlot } from "./viewer-limit.ts";

/** Tells the device a session it knows about is over (only if the viewer had said hello). */
function endOnDevice(state: HubState, viewer: ViewerConn, reason: string): Effect[] {
  const device = readyDevice(state);
  if (!device || !holdsSession(viewer)) return [];
  return [
    { type: "send", to: device.id, message: { type: "session-end", sessionId: viewer.sessionId, reason } },
    { type: "log", event: { event: "session_ended", serial: state.serial, sessionId: viewer.sessionId, by: "viewer", reason } },
  ];
}

/**
 * A viewer socket was accepted. It takes a slot at once (before hello), so a burst of
 * connections cannot all pass the limit check before any of them says hello.
 */
export function onViewerConnected(state: HubState, conn: ViewerConn, maxViewers: number, resume?: { token: string }, helloFollows = false): Effect[] {
  if (resume) return onResume(state, conn, resume.token, readyDevice(state) !== undefined || deviceAway(state));
  if (!readyDevice(state)) {
    return [
      { type: "log", event: { event: "viewer_refused", serial: state.serial, sessionId: conn.sessionId, code: "device_offline" } },
      ...failAndClose(conn, "device_offline"),
    ];
  }
  const slot = claimSlot(state, conn, maxViewers);
  if (!slot.admitted) return slot.effects;
  // One log line per step a person could be stuck at: on /ws/watch admission and hello are one
  // step, and each line costs the edge CPU (and Workers Logs an event) on every session.
  if (helloFollows) return slot.effects;
  return [...slot.effects, { type: "log", event: { event: "viewer_connected", serial: state.serial, sessionId: conn.sessionId } }];
}

/** The edge ends a viewer's session: the viewer hears why (`code`), the device gets session-end. */
function endByEdge(state: HubState, viewer: ViewerConn, code: ErrorCode): Effect[] {
  const device = readyDevice(state);
  const effects: Effect[] = [];
  if (device && holdsSession(viewer)) {
    effects.push({ type: "send", to: device.id, message: { type: "session-end", sessionId: viewer.sessionId, reason: code } });
  }
  effects.push(
    { type: "log", event: { event: "session_ended", serial: state.serial, sessionId: viewer.sessionId, by: "edge", reason: code } },
    ...failAndClose(viewer, code),
  );
  return effects;
}

/** Live viewer sessions of one user (or all of them): share revoked, account closed, … */
export function viewersToEnd(state: HubState, userId?: string): ViewerConn[] {
  return liveViewers(state).filter((v) => userId === undefined || v.userId === userId);
}

/** Ends sessions with and without a socket (a revoked share must not be resumable). */
export function onEndSessions(state: HubState, code: ErrorCode, userId?: string): Effect[] {
  const parked = graceSessions(state).filter((g) => userId === undefined || g.conn.userId === userId);
  return [...viewersToEnd(state, userId).flatMap((v) => endByEdge(state, v, code)), ...parked.flatMap((g) => endGraceSession(state, g, code))];
}

/**
 * Alarm tick: viewers silent past the heartbeat timeout lose their socket. One in session is
 * closed without an error frame (the close reason says heartbeat_timeout) and waits in grace:
 * a viewer that was only off the network resumes; a vanished one frees its slot when grace ends.
 */
export function onHeartbeat(state: HubState, lastPongAt: Readonly<Record<string, number>>): Effect[] {
  return staleViewers(state, lastPongAt).flatMap((v) =>
    holdsSession(v)
      ? [...close(v, ERROR_CODES.heartbeat_timeout.close, closeReason("heartbeat_timeout")), ...parkInGrace(state, v, "heartbeat_timeout")]
      : endByEdge(state, v, "heartbeat_timeout"),
  );
}

export function onViewerMessage(state: HubState, conn: ViewerConn, frame: Frame): Effect[] {
  if (conn.phase === "closing") return [];
  const parsed = parseMessage(ViewerToEdgeSchema, frame);
  if (!parsed.ok) return [...endOnDevice(state, conn, parsed.code), ...refuseFrame(conn, parsed)];
  const msg = parsed.value;

  // While the camera reconnects (device-events.ts) sessions stay; only a camera gone for good
  // cuts them.
  const device = readyDevice(state);
  if (!device && !deviceAway(state)) return [...endOnDevice(state, conn, "device offline"), ...failAndClose(conn, "device_offline")];

  if (conn.phase === "awaiting-hello") {
    if (msg.type !== "hello") return protocolViolation(conn, "expected hello first");
    if (!isSupportedVersion(msg.v)) return failAndClose(conn, "unsupported_version", `Viewer speaks v${msg.v}.`);
    // Each side gets its own TURN credentials and nearest regions, plus the static list.
    const regions = state.turnRegions ?? [];
    const viewerIce = iceServersWithTurn(state.iceServers, regions, conn.turn?.viewer);
    const welcome = {
      type: "welcome" as const,
      v: PROTOCOL_VERSION,
      sessionId: conn.sessionId,
      serial: state.serial,
      iceServers: viewerIce,
      ...(conn.resumeToken !== undefined ? { resumeToken: conn.resumeToken } : {}),
    };
    // A resumed session already runs on the device: welcome it back, nothing to start.
    if (conn.resumed) return [{ type: "set-phase", to: conn.id, phase: "ready" }, { type: "send", to: conn.id, message: { ...welcome, resumed: true } }];
    if (!device) return failAndClose(conn, "device_offline");
    const deviceIce = iceServersWithTurn(state.iceServers, regions, conn.turn?.device);
    return [
      { type: "set-phase", to: conn.id, phase: "ready" },
      { type: "send", to: conn.id, message: welcome },
      // The grant goes along so the agent verifies who the viewer is with the edge's public key.
      {
        type: "send",
        to: device.id,
        message: { type: "session-start", sessionId: conn.sessionId, iceServers: deviceIce, grant: conn.grant },
      },
      { type: "log", event: { event: "session_started", serial: state.serial, sessionId: conn.sessionId } },
    ];
  }

  if (msg.type === "path") return [{ type: "session-record", record: { op: "path", sessionId: conn.sessionId, path: msg.path } }];
  // The camera is reconnecting: nothing to relay to. The viewer asks for a restart again later.
  if (!device) return msg.type === "bye" ? close(conn, 1000, closeReason("session_ended")) : [];

  switch (msg.type) {
    case "hello":
      return [...endOnDevice(state, conn, "protocol violation"), ...protocolViolation(conn, "duplicate hello")];
    case "answer":
      return [{ type: "send", to: device.id, message: { type: "answer", sessionId: conn.sessionId, sdp: msg.sdp } }];
    case "candidate":
      return [{ type: "send", to: device.id, message: { type: "candidate", sessionId: conn.sessionId, candidate: msg.candidate } }];
    case "restart":
      // The device offers, so an ICE restart is the device's to start (RFC 8445 §9).
      return [
        { type: "send", to: device.id, message: { type: "restart", sessionId: conn.sessionId } },
        { type: "log", event: { event: "ice_restart_requested", serial: state.serial, sessionId: conn.sessionId } },
      ];
    case "bye": {
      const reason = msg.reason ?? "The viewer left.";
      return [...endOnDevice(state, conn, reason), ...close(conn, 1000, closeReason("session_ended"))];
    }
    default:
      return assertNever(msg);
  }
}

/**
 * The viewer sent more than its budget (frame-budget.ts): its session ends on the camera and its
 * socket is closed 1008 with the reason. Not parked in grace: a flooder must not resume.
 */
export function onViewerOverBudget(state: HubState, conn: ViewerConn, detail: string): Effect[] {
  if (conn.phase === "closing") return [];
  return [
    ...endOnDevice(state, conn, "too_many_messages"),
    { type: "log", event: { event: "frame_refused", serial: state.serial, role: "viewer", sessionId: conn.sessionId, code: "too_many_messages", detail } },
    ...failAndClose(conn, "too_many_messages", detail),
  ];
}

/** The socket went away without bye: its session (if any) waits in grace for a resume. */
export function onViewerClosed(state: HubState, conn: ViewerConn, code: number): Effect[] {
  if (conn.phase === "closing") return [];
  const closing: Effect = { type: "set-phase", to: conn.id, phase: "closing" };
  return holdsSession(conn) ? [closing, ...parkInGrace(state, conn, `socket closed (${code})`)] : [closing];
}
