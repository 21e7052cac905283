// Why: the hub's logic is a pure function from (connections, event) to effects, so it is tested
// without workerd; these are its inputs and outputs. The DO shell (device-hub.ts) owns the I/O.
import type { EdgeToDevice, EdgeToViewer, ErrorCode, IceServer, SessionRole } from "../../../protocol/index.ts";
import type { LogEvent } from "../log.ts";
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
    };

export type DeviceConn = Extract<Conn, { role: "device" }>;
export type ViewerConn = Extract<Conn, { role: "viewer" }>;

export interface HubState {
  serial: string;
  /** Every socket the hub holds, derived from ctx.getWebSockets() (survives hibernation). */
  conns: readonly Conn[];
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
  | { type: "device-closed"; conn: DeviceConn; code: number; reason: string }
  /** `maxViewers` is the camera's limit read from D1 by the worker for this connection. */
  | { type: "viewer-connected"; conn: ViewerConn; maxViewers: number }
  | { type: "viewer-message"; conn: ViewerConn; frame: Frame }
  | { type: "viewer-closed"; conn: ViewerConn; code: number; reason: string }
  /** Alarm tick (at state.now): `lastPongAt` maps viewer conn id → workerd's last auto-answered ping (ms). */
  | { type: "heartbeat"; lastPongAt: Readonly<Record<string, number>> }
  /** Ends live viewer sessions (all, or one user's) with an error code (share revoked, …). */
  | { type: "end-sessions"; userId?: string; code: ErrorCode };

export type Effect =
  | { type: "send"; to: string; message: EdgeToDevice | EdgeToViewer }
  | { type: "close"; to: string; code: number; reason: string }
  | { type: "set-phase"; to: string; phase: Phase }
  /** The device went online or offline: persist devices.last_seen_at = now. */
  | { type: "device-seen" }
  | { type: "log"; event: LogEvent }
  /** Persist the viewer_sessions row (D1): an effect so the hub logic stays pure. */
  | { type: "session-record"; record: SessionRecord };

export type SessionRecord =
  | { op: "start"; sessionId: string; serial: string; userId: string | null; role: SessionRole; at: number }
  | { op: "path"; sessionId: string; path: "lan" | "p2p" | "relay" }
  | { op: "end"; sessionId: string; at: number; reason: string };
