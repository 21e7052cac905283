// Why: the hub's logic is a pure function from (connections, event) to effects, so it is tested
// without workerd; these are its inputs and outputs. The DO shell (device-hub.ts) owns the I/O.
import type { ConnectionEndReason, EdgeToDevice, EdgeToViewer, ErrorCode, IceServer, NatStatus, PathKind, SessionRole } from "../../../protocol/index.ts";
import type { CameraEventFrame } from "../events/index.ts";
import type { LogEvent } from "../log.ts";
import type { OpenConnection } from "./connection-end.ts";
import type { StoredSession } from "./hub-memory.ts";
import type { RequesterLocation, SessionTurn, TurnRegion } from "../turn/index.ts";

/**
 * `awaiting-hello` until the first frame says hello; `ready` after; `closing` once the hub has
 * decided to close it (later events from it are ignored, and it no longer counts for presence).
 */
export type Phase = "awaiting-hello" | "ready" | "closing";

/** What the hub remembers about one socket; stored as its hibernation attachment. */
export type Conn =
  | {
      role: "device";
      id: string;
      serial: string;
      phase: Phase;
      connectedAt: number;
      /** Where the camera connected from (request.cf), to pick its nearest TURN regions. */
      location?: RequesterLocation;
      /** Keyed hash of the camera's public network (net/network-tag.ts); null: address unknown. */
      networkTag?: string | null;
      /** Epoch ms of the last frame the hub processed from the camera (stamped at most every second). */
      lastActiveAt?: number;
      /**
       * Epoch ms of the camera's last ping that workerd answered on its own. Never stored: the
       * shell reads it from getWebSocketAutoResponseTimestamp() each time it builds the state.
       */
      lastPongAt?: number;
    }
  | {
      role: "viewer";
      id: string;
      serial: string;
      phase: Phase;
      connectedAt: number;
      sessionId: string;
      /** Who the grant was minted for (null: access-code viewing) and with which role. */
      userId: string | null;
      sessionRole: SessionRole;
      /**
       * The viewer's grant JWT, handed to the device in session-start so the agent can verify
       * it itself. Kept in the attachment (≈ 500 B, well under workerd's 2 KiB limit) so the
       * pure logic has it at hello without a storage read.
       */
      grant: string;
      /** Epoch ms of the last frame the hub processed from this viewer (heartbeat). */
      lastActiveAt?: number;
      /** TURN credentials minted at admission (absent when the edge has no TURN configured). */
      turn?: SessionTurn;
      /**
       * Opaque secret (resume-token.ts) handed to the viewer in welcome: presented on a new
       * socket it continues this session after this socket drops. One per socket, so each
       * token works once (a resumed socket gets a fresh one).
       */
      resumeToken?: string;
      /** This socket continues a session an earlier socket started (no new session-start). */
      resumed?: boolean;
    };

export type DeviceConn = Extract<Conn, { role: "device" }>;
export type ViewerConn = Extract<Conn, { role: "viewer" }>;

/** A viewer session whose socket dropped: kept (slot, device side) until `until` for a resume. */
export interface GraceSession {
  /** The session's last socket, as it was when it dropped (its resumeToken is the valid one). */
  conn: ViewerConn;
  /** Epoch ms the grace ends: then the session ends as if the viewer had left. */
  until: number;
}

export interface HubState {
  serial: string;
  /** Every socket the hub holds (its memory; rebuilt from ctx.getWebSockets() on wake). */
  conns: readonly Conn[];
  /** Viewer sessions without a socket, waiting for a resume (kept in DO SQLite; absent: none). */
  grace?: readonly GraceSession[];
  /**
   * Epoch ms until which the hub waits for the camera's socket to come back before cutting its
   * viewers (null/absent: the device is not away). Its hello then says which sessions it kept.
   */
  deviceAwayUntil?: number | null;
  /** The static ICE_SERVERS list, handed to both sides of every session. */
  iceServers: IceServer[];
  /** TURN_REGIONS, to turn a session's region ids into URLs (absent: no TURN). */
  turnRegions?: readonly TurnRegion[];
  heartbeatSeconds: number;
  /** Epoch ms when the event is handled (the shell's clock; tests pass their own). */
  now: number;
}

/** A raw WebSocket frame as workerd delivers it. */
export type Frame = string | ArrayBuffer;

export type HubEvent =
  | { type: "device-connected"; conn: DeviceConn }
  | { type: "device-message"; conn: DeviceConn; frame: Frame }
  /**
   * `final`: the edge cut the device (revoked): no waiting for it to come back. `ended`: why, when
   * the edge decided it (else connection-end.ts reads it from the close code).
   */
  | { type: "device-closed"; conn: DeviceConn; code: number; reason: string; final?: boolean; ended?: ConnectionEndReason }
  /**
   * `maxViewers` is the camera's limit read from D1 by the worker for this connection.
   * `resume`: the socket presented a resume token for an existing session instead of a ticket
   * (the shell built `conn` from that session; the logic checks the token again).
   */
  /** `helloFollows`: the upgrade is the hello (/ws/watch) — the session_started line that follows at once says it all. */
  | { type: "viewer-connected"; conn: ViewerConn; maxViewers: number; resume?: { token: string }; helloFollows?: boolean }
  | { type: "viewer-message"; conn: ViewerConn; frame: Frame }
  | { type: "viewer-closed"; conn: ViewerConn; code: number; reason: string }
  /**
   * The socket sent more than its budget allows (frame-budget.ts): more frames than its rate, or
   * more candidates for one session than the cap. `detail` says which, for the close reason.
   */
  | { type: "over-budget"; conn: Conn; detail: string }
  /**
   * Alarm tick (at state.now): also closes a camera silent past its heartbeat timeout
   * (device-heartbeat.ts). `lastPongAt` maps viewer conn id → workerd's last auto-answered
   * ping (ms). Also ends grace sessions and a device absence that ran out.
   */
  | { type: "heartbeat"; lastPongAt: Readonly<Record<string, number>> }
  /** Ends live viewer sessions (all, or one user's) with an error code (share revoked, …). */
  | { type: "end-sessions"; userId?: string; code: ErrorCode }
  /**
   * The object woke with its memory rebuilt from storage (wake.ts): every session stored as
   * under way, and the device connections noted open (open-connections.ts).
   */
  | { type: "wake"; sessions: readonly StoredSession[]; open: readonly OpenConnection[] };

export type Effect =
  | { type: "send"; to: string; message: EdgeToDevice | EdgeToViewer }
  | { type: "close"; to: string; code: number; reason: string }
  | { type: "set-phase"; to: string; phase: Phase }
  /** The device went online or offline: persist devices.last_seen_at = now. */
  | { type: "device-seen" }
  /** The device reported its NAT behaviour: persist it on its devices row. */
  | { type: "device-nat"; nat: NatStatus }
  | { type: "log"; event: LogEvent }
  /** Persist the viewer_sessions row (D1): an effect so the hub logic stays pure. */
  | { type: "session-record"; record: SessionRecord }
  /**
   * Remember a session under way (said hello, or resumed: `conn` carries its current token) in
   * DO SQLite, so it can be resumed even if its socket vanishes without a close event (an edge
   * restart drops every socket without calling webSocketClose).
   */
  | { type: "session-put"; conn: ViewerConn }
  /** Keep a session whose socket dropped until `until` (DO SQLite, survives hibernation). */
  | { type: "grace-put"; session: GraceSession }
  /** The session is over (or left grace by ending): forget it. */
  | { type: "grace-drop"; sessionId: string }
  /** The device's socket is gone but it may come back until `until` (null: not away any more). */
  | { type: "device-away"; until: number | null }
  /** A device socket was accepted: remember it open (DO SQLite) and record it (D1). */
  | { type: "connection-open"; conn: DeviceConn }
  /** A device connection ended, and why (connection-end.ts): record it, forget it open. */
  | { type: "connection-end"; end: ConnectionEndRecord }
  /**
   * The camera reported an event (issue 13): the shell checks the camera's notification window
   * (push/camera-push-window.ts) and sends the push notifications in the background.
   */
  | { type: "notify"; cameraEvent: { id: string; kind: string; startedAt: string } }
  /**
   * The camera reported an event: the shell adds it to the edge's event index (D1 camera_events;
   * events/) unless the camera is over its per-minute cap. Names and times only, never a picture.
   */
  | { type: "record-event"; cameraEvent: CameraEventFrame };

/** How one device connection ended (epoch ms), as recorded in device_connections. */
export interface ConnectionEndRecord {
  connId: string;
  reason: ConnectionEndReason;
  /** Close code seen or sent; null when there was no close at all (edge restart). */
  closeCode: number | null;
  endedAt: number;
  lastSeenAt: number;
}

export type SessionRecord =
  | { op: "start"; sessionId: string; serial: string; userId: string | null; role: SessionRole; at: number }
  | { op: "path"; sessionId: string; path: PathKind }
  | { op: "end"; sessionId: string; at: number; reason: string };
