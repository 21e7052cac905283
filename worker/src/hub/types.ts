// Why: the hub's logic is a pure function from (connections, event) to effects, so it is tested
// without workerd; these are its inputs and outputs. The DO shell (device-hub.ts) owns the I/O.
import type { EdgeToDevice, EdgeToViewer, IceServer } from "../../../protocol/index.ts";
import type { LogEvent } from "../log.ts";

/**
 * `awaiting-hello` until the first frame says hello; `ready` after; `closing` once the hub has
 * decided to close it (later events from it are ignored, and it no longer counts for presence).
 */
export type Phase = "awaiting-hello" | "ready" | "closing";

/** What the hub remembers about one socket; stored as its hibernation attachment. */
export type Conn =
  | { role: "device"; id: string; serial: string; phase: Phase; connectedAt: number }
  | { role: "viewer"; id: string; serial: string; phase: Phase; connectedAt: number; sessionId: string };

export type DeviceConn = Extract<Conn, { role: "device" }>;
export type ViewerConn = Extract<Conn, { role: "viewer" }>;

export interface HubState {
  serial: string;
  /** Every socket the hub holds, derived from ctx.getWebSockets() (survives hibernation). */
  conns: readonly Conn[];
  iceServers: IceServer[];
  heartbeatSeconds: number;
}

/** A raw WebSocket frame as workerd delivers it. */
export type Frame = string | ArrayBuffer;

export type HubEvent =
  | { type: "device-connected"; conn: DeviceConn }
  | { type: "device-message"; conn: DeviceConn; frame: Frame }
  | { type: "device-closed"; conn: DeviceConn; code: number; reason: string }
  | { type: "viewer-connected"; conn: ViewerConn }
  | { type: "viewer-message"; conn: ViewerConn; frame: Frame }
  | { type: "viewer-closed"; conn: ViewerConn; code: number; reason: string };

export type Effect =
  | { type: "send"; to: string; message: EdgeToDevice | EdgeToViewer }
  | { type: "close"; to: string; code: number; reason: string }
  | { type: "set-phase"; to: string; phase: Phase }
  /** The device went online or offline: persist devices.last_seen_at = now. */
  | { type: "device-seen" }
  | { type: "log"; event: LogEvent };
