// Why: the viewer's connection lifecycle as one pure reducer — what the stage list, the
// error banner and window.__porthole show is derived from events, so it is unit-tested
// without a browser. The effects (fetch, WebSocket, RTCPeerConnection) live in session/.
import type { DeviceFeatures } from "../../../protocol/controls.ts";
import type { NatStatus, NatTypeName } from "../../../protocol/nat.ts";
import type { NatSide } from "../../../protocol/path-prediction.ts";
import type { PathInfo, PathKind } from "./path-classification.ts";
import type { VideoStats } from "./media-stats.ts";

/** A browser's NAT as its connection test found it (web/src/nat/viewer-nat-cache.ts lastViewerNat()). */
export interface ViewerNat {
  side: NatSide;
  verdict: NatTypeName;
}

export type StageId = "signaling" | "ice" | "dtls" | "first-frame";
export type StageStatus = "pending" | "active" | "done" | "failed";
/** reconnecting: was live, the ICE path broke; an ICE restart on the same session is under way. */
export type Phase = "idle" | "connecting" | "live" | "reconnecting" | "failed" | "ended";
/** The single word the e2e test and the benchmark read from window.__porthole.stage. */
export type StageName = "idle" | StageId | "live" | "reconnecting" | "failed" | "ended";

export const STAGES: readonly { id: StageId; label: string }[] = [
  { id: "signaling", label: "Signaling" },
  { id: "ice", label: "ICE" },
  { id: "dtls", label: "DTLS" },
  { id: "first-frame", label: "First frame" },
];

/** performance.now() values; null until the moment happens. */
export interface Timings {
  clickAt: number | null;
  /** The grant came back (POST /api/sessions). */
  ticketAt: number | null;
  /** The signaling socket opened. */
  socketOpenAt: number | null;
  welcomeAt: number | null;
  /** The camera's offer arrived, and our answer went out. */
  offerAt: number | null;
  answerSentAt: number | null;
  iceConnectedAt: number | null;
  dtlsConnectedAt: number | null;
  firstFrameAt: number | null;
}

export interface UiError {
  code: string;
  retryAfterSeconds?: number;
  detail?: string;
  /** device_busy: viewers watching and the camera's limit ("3 of 3 viewers"). */
  watching?: number;
  limit?: number;
}

/**
 * Codes with which the edge ends the session on the camera too: they end it here even when
 * media already flows peer-to-peer (a lost signaling socket alone does not), and the picture is
 * cleared. heartbeat_timeout: the hub stopped hearing our pings and freed the slot, so the
 * camera has closed its side — a frozen last frame must not pass for live video.
 */
export const ACCESS_ENDING_CODES: ReadonlySet<string> = new Set(["access_revoked", "device_revoked", "no_access", "grant_invalid", "heartbeat_timeout", "signed_out"]);

export interface DeviceInfo {
  serial: string;
  name: string;
  source: string;
  /** What the camera's controls can do (absent: an agent older than the controls). */
  features?: DeviceFeatures;
}

export interface SessionState {
  phase: Phase;
  stages: Record<StageId, StageStatus>;
  /** Last signaling step reached, shown under the Signaling stage. */
  signalingStep: "ticket" | "socket" | "welcome" | "offer" | "answer" | null;
  /** resuming: the socket dropped mid-session and a new one is resuming it (media plays on). */
  signaling: "closed" | "connecting" | "open" | "resuming" | "lost";
  iceState: string | null;
  connectionState: string | null;
  /** ICE went "disconnected" after connecting (consent checks failing, RFC 7675); it may recover. */
  iceInterrupted: boolean;
  /** ICE restarts this session asked the camera for (RFC 8445 §9); the session id stays. */
  iceRestarts: number;
  sessionId: string | null;
  /** The camera's last NAT discovery, as the edge gave it with the grant (null: never reported). */
  cameraNat: NatStatus | null;
  /** This browser's NAT from its latest connection test (null: none recent). */
  viewerNat: ViewerNat | null;
  /** Relay-only ICE on purpose (?relay=1). */
  forcedRelay: boolean;
  timings: Timings;
  path: PathInfo | null;
  /** The first path selected, and how often its kind changed since (relay → P2P after a restart…). */
  firstPathKind: PathKind | null;
  pathChanges: number;
  rttMs: number | null;
  dcRttMs: number | null;
  device: DeviceInfo | null;
  video: VideoStats | null;
  error: UiError | null;
}

export type SessionEvent =
  /** viewerNat: the connection test's latest verdict (nat/viewer-nat-cache.ts); forcedRelay: ?relay=1. */
  | { type: "connect"; at: number; viewerNat?: ViewerNat | null; forcedRelay?: boolean }
  /** The browser cannot do live video (no RTCPeerConnection): nothing was started. */
  | { type: "unsupported" }
  | { type: "ticket"; sessionId: string; cameraNat?: NatStatus | null; at?: number }
  | { type: "socket-open"; at?: number }
  | { type: "welcome"; at: number }
  | { type: "offer"; at?: number }
  | { type: "answer-sent"; at?: number }
  | { type: "ice-state"; state: string; at: number }
  | { type: "connection-state"; state: string; at: number }
  | { type: "dtls-state"; state: string; at: number }
  | { type: "first-frame"; at: number }
  | { type: "stats"; path: PathInfo | null; video: VideoStats | null }
  | { type: "dc-hello"; device: DeviceInfo }
  | { type: "dc-rtt"; ms: number }
  | { type: "ice-restart"; reason: string }
  | { type: "signaling-error"; code: string; watching?: number; limit?: number }
  | { type: "signaling-closed"; code?: string }
  /** The socket dropped while media plays; the session reconnects it with its resume token. */
  | { type: "signaling-resuming" }
  /** A new socket continues the same session (welcome with resumed). */
  | { type: "signaling-resumed" }
  | { type: "session-end"; code?: string; reason: string }
  | { type: "fail"; error: UiError }
  | { type: "disconnect" };

const NO_TIMINGS: Timings = { clickAt: null, ticketAt: null, socketOpenAt: null, welcomeAt: null, offerAt: null, answerSentAt: null, iceConnectedAt: null, dtlsConnectedAt: null, firstFrameAt: null };
const PENDING: Record<StageId, StageStatus> = { signaling: "pending", ice: "pending", dtls: "pending", "first-frame": "pending" };

export const initialSessionState: SessionState = {
  phase: "idle",
  stages: PENDING,
  signalingStep: null,
  signaling: "closed",
  iceState: null,
  connectionState: null,
  iceInterrupted: false,
  iceRestarts: 0,
  sessionId: null,
  cameraNat: null,
  viewerNat: null,
  forcedRelay: false,
  timings: NO_TIMINGS,
  path: null,
  firstPathKind: null,
  pathChanges: 0,
  rttMs: null,
  dcRttMs: null,
  device: null,
  video: null,
  error: null,
};

/** The current stage: the first unfinished one while connecting. */
export function currentStage(s: SessionState): StageName {
  if (s.phase !== "connecting") return s.phase;
  return STAGES.find((st) => s.stages[st.id] !== "done")?.id ?? "live";
}

/** True once media flows over the peer connection (it no longer needs the signaling socket). */
export function mediaConnected(s: SessionState): boolean {
  return s.stages.dtls === "done" && s.phase !== "failed" && s.phase !== "ended" && s.phase !== "idle";
}

function fail(s: SessionState, error: UiError): SessionState {
  if (s.phase === "failed") return s; // the first, most specific error wins
  const stages = { ...s.stages };
  const open = STAGES.find((st) => stages[st.id] !== "done");
  if (open) stages[open.id] = "failed";
  return { ...s, phase: "failed", stages, error };
}

function withStage(s: SessionState, id: StageId, status: StageStatus): SessionState {
  return s.stages[id] === status ? s : { ...s, stages: { ...s.stages, [id]: status } };
}

function iceConnected(s: SessionState, at: number): SessionState {
  let next = withStage(s, "ice", "done");
  if (next.stages.signaling !== "done") next = withStage(next, "signaling", "done");
  if (next.stages.dtls === "pending") next = withStage(next, "dtls", "active");
  return {
    ...next,
    iceInterrupted: false,
    timings: { ...next.timings, iceConnectedAt: next.timings.iceConnectedAt ?? at },
  };
}

function dtlsConnected(s: SessionState, at: number): SessionState {
  let next = s.stages.ice === "done" ? s : iceConnected(s, at);
  next = withStage(next, "dtls", "done");
  if (next.stages["first-frame"] === "pending") next = withStage(next, "first-frame", "active");
  return { ...next, timings: { ...next.timings, dtlsConnectedAt: next.timings.dtlsConnectedAt ?? at } };
}

/** ICE is up again after an interruption: a reconnecting session is live again. */
function backToLive(s: SessionState): SessionState {
  if (s.phase !== "reconnecting") return s;
  const iceUp = s.iceState === "connected" || s.iceState === "completed";
  return iceUp && s.connectionState !== "failed" && s.connectionState !== "disconnected" ? { ...s, phase: "live", iceInterrupted: false } : s;
}

/** A session that ended or failed ignores late events from its old socket and connection. */
function isOver(s: SessionState): boolean {
  return s.phase === "failed" || s.phase === "ended" || s.phase === "idle";
}

export function sessionReducer(s: SessionState, e: SessionEvent): SessionState {
  switch (e.type) {
    case "connect":
      return {
        ...initialSessionState,
        phase: "connecting",
        stages: { ...PENDING, signaling: "active" },
        signaling: "connecting",
        timings: { ...NO_TIMINGS, clickAt: e.at },
        viewerNat: e.viewerNat ?? null,
        forcedRelay: e.forcedRelay ?? false,
      };
    case "disconnect":
      return { ...initialSessionState, phase: "ended", device: s.device };
    case "unsupported":
      // Failed before any stage began: every stage stays pending, so none reads "failed"
      // (signaling never started), and the code says why.
      return { ...initialSessionState, phase: "failed", device: s.device, error: { code: "webrtc_unsupported" } };
    case "fail":
      return isOver(s) ? s : fail(s, e.error);
    default:
      break;
  }
  if (isOver(s)) {
    // Only the socket's own state still matters once the session is over.
    return e.type === "signaling-closed" && s.signaling !== "closed" ? { ...s, signaling: "closed" } : s;
  }
  switch (e.type) {
    case "ticket":
      return { ...s, sessionId: e.sessionId, cameraNat: e.cameraNat ?? null, signalingStep: s.signalingStep ?? "ticket", timings: { ...s.timings, ticketAt: e.at ?? s.timings.ticketAt } };
    case "socket-open":
      return { ...s, signaling: "open", signalingStep: "socket", timings: { ...s.timings, socketOpenAt: s.timings.socketOpenAt ?? e.at ?? null } };
    case "welcome": {
      const next = withStage({ ...s, signalingStep: "welcome" }, "signaling", "done");
      return { ...withStage(next, "ice", "active"), timings: { ...next.timings, welcomeAt: e.at } };
    }
    case "offer":
      return { ...s, signalingStep: "offer", timings: { ...s.timings, offerAt: s.timings.offerAt ?? e.at ?? null } };
    case "answer-sent":
      return { ...s, signalingStep: "answer", timings: { ...s.timings, answerSentAt: s.timings.answerSentAt ?? e.at ?? null } };
    case "ice-state": {
      const next = { ...s, iceState: e.state };
      if (e.state === "connected" || e.state === "completed") return backToLive(iceConnected(next, e.at));
      // Live video whose path broke: the session asks for an ICE restart instead of ending
      // (it gives up after RECONNECT_TIMEOUT_MS with connection_lost).
      if ((e.state === "disconnected" || e.state === "failed") && (s.phase === "live" || s.phase === "reconnecting")) {
        return { ...next, phase: "reconnecting", iceInterrupted: true };
      }
      if (e.state === "disconnected") return { ...next, iceInterrupted: true };
      if (e.state === "failed") return fail(next, { code: s.stages.ice === "done" ? "connection_lost" : "ice_failed" });
      return next;
    }
    case "connection-state": {
      const next = { ...s, connectionState: e.state };
      if (e.state === "connected") return backToLive(dtlsConnected(next, e.at));
      if (e.state === "failed" && (s.phase === "live" || s.phase === "reconnecting")) return { ...next, phase: "reconnecting" };
      if (e.state === "failed") return fail(next, { code: s.stages.ice === "done" ? "connection_lost" : "ice_failed" });
      return next;
    }
    case "ice-restart":
      // The phase follows ICE itself: a restart on a working path (network change) may never
      // leave "connected" — the browser keeps the old pair until the new one is selected.
      return { ...s, iceRestarts: s.iceRestarts + 1 };
    case "dtls-state":
      if (e.state === "connected") return dtlsConnected(s, e.at);
      if (e.state === "failed") return fail(s, { code: "connection_lost", detail: "DTLS handshake failed" });
      return s;
    case "first-frame": {
      if (s.timings.firstFrameAt !== null) return s;
      const next = s.stages.dtls === "done" ? s : dtlsConnected(s, e.at);
      return {
        ...withStage(next, "first-frame", "done"),
        phase: "live",
        timings: { ...next.timings, firstFrameAt: e.at },
      };
    }
    case "stats": {
      const changed = e.path !== null && s.path !== null && e.path.kind !== s.path.kind;
      return {
        ...s,
        path: e.path ?? s.path,
        firstPathKind: s.firstPathKind ?? e.path?.kind ?? null,
        pathChanges: s.pathChanges + (changed ? 1 : 0),
        rttMs: e.path?.rttMs ?? s.rttMs,
        video: e.video ?? s.video,
      };
    }
    case "dc-hello":
      return { ...s, device: e.device };
    case "dc-rtt":
      return { ...s, dcRttMs: e.ms };
    case "signaling-error": {
      // The edge sends `error` just before it closes the socket; media already up survives it,
      // unless the error takes away the right to watch.
      if (mediaConnected(s) && !ACCESS_ENDING_CODES.has(e.code)) return { ...s, signaling: "lost" };
      return fail(s, {
        code: e.code,
        ...(e.watching !== undefined ? { watching: e.watching } : {}),
        ...(e.limit !== undefined ? { limit: e.limit } : {}),
      });
    }
    case "signaling-resuming":
      return { ...s, signaling: "resuming" };
    case "signaling-resumed":
      return { ...s, signaling: "open" };
    case "signaling-closed":
      if (mediaConnected(s) && !(e.code && ACCESS_ENDING_CODES.has(e.code))) return { ...s, signaling: "lost" };
      return fail({ ...s, signaling: "closed" }, { code: e.code ?? "signaling_closed" });
    case "session-end":
      return fail(s, e.code ? { code: e.code } : { code: "camera_ended", detail: e.reason });
  }
}
