// Why: logs are typed events, one JSON line each, so operators and analytics read the same
// stream; every line carries the serial and, when there is one, the session id.
import type { FilteringBehavior, MappingBehavior, NatType } from "./nat/classify.ts";
import type { NatDiscoveryReason } from "./nat/monitor.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function isLogLevel(value: string): value is LogLevel {
  return Object.hasOwn(LEVEL_RANK, value);
}

/** Every event the agent logs. Add new ones here so the shape is checked at each call site. */
export type LogEvent =
  | { event: "agent_started"; version: string; edge: string; source: string; videoCodecs: string[]; audio: boolean }
  | { event: "agent_stopping"; reason: string }
  | { event: "agent_fatal"; code: string; message: string }
  | { event: "source_started"; source: string; detail?: string }
  | { event: "source_stopped"; source: string }
  | { event: "source_error"; source: string; message: string }
  | { event: "ffmpeg_started"; pid: number; args: string }
  | { event: "ffmpeg_exited"; pid: number; code: number | null; signal: string | null; stderrTail?: string }
  | { event: "signaling_connecting"; url: string; attempt: number }
  | { event: "signaling_open"; url: string }
  | { event: "signaling_welcome"; heartbeatSeconds: number }
  | { event: "signaling_closed"; code: number; reason: string }
  /** A 4000 device_replaced soon after an abandoned attempt: retried as our own late attempt (stale-attempt.ts). */
  | { event: "signaling_replaced_by_own_attempt"; retried: number }
  | { event: "signaling_refused"; status: number; code: string; message: string }
  | { event: "signaling_retry"; delayMs: number; retryCount: number; lastError?: string }
  | { event: "signaling_heartbeat_timeout"; silentMs: number }
  | { event: "signaling_bad_frame"; code: string; detail: string }
  | { event: "signaling_edge_error"; code: string; message: string; sessionId?: string }
  /** predictedPath: from both sides' NAT where known (protocol/path-prediction.ts); "relay" skips the relay hold. */
  | { event: "session_start"; sessionId: string; role: string; iceServers: number; active: number; predictedPath?: string }
  /** werift's per-process work done at agent start (webrtc/warm-up.ts), so the first session does not pay it. */
  | { event: "webrtc_warmed"; certificateMs: number; offerMs: number }
  | { event: "webrtc_warm_up_failed"; message: string }
  | { event: "edge_key_pinned"; thumbprint: string }
  | { event: "edge_key_trust_on_first_use"; edge: string; thumbprint: string }
  | { event: "edge_key_unavailable"; edge: string; message: string }
  | { event: "session_refused"; sessionId: string; reason: string }
  | { event: "session_offer_sent"; sessionId: string; ms: number }
  /** An unanswered (restart) offer sent again because the viewer asked again (peer-session.ts). */
  | { event: "session_offer_repeated"; sessionId: string }
  | { event: "session_ice_restart"; sessionId: string; restarts: number }
  /** A relayed session found a direct pair valid and restarts ICE to move there (peer-session.ts). */
  | { event: "session_path_upgrade"; sessionId: string; pair: string }
  /** TURN URLs passed over because they failed to allocate lately (turn-choice.ts). */
  | { event: "session_turn_fallback"; sessionId: string; skipped: string[]; using?: string }
  /** A relay allocated on one TURN transport, `ms` after gathering began (relay-gathering.ts). */
  | { event: "session_turn_allocated"; sessionId: string; url: string; transport: string; ms: number }
  /** A TURN transport that did not allocate in time, or refused the credential. */
  | { event: "session_turn_failed"; sessionId: string; url: string; transport: string; ms: number; reason: string }
  | { event: "session_state"; sessionId: string; state: string }
  | { event: "session_media"; sessionId: string; kind: "video" | "audio"; codec: string; replayPackets: number }
  | { event: "session_keyframe_resent"; sessionId: string; packets: number }
  | { event: "session_connected"; sessionId: string; ms: number }
  /**
   * A set-up milestone with no event of its own, for the NAT lab benchmark's phase split
   * (bench/lab.ts): the line's `t` is the timestamp that matters.
   */
  | { event: "session_mark"; sessionId: string; mark: SessionMark }
  /** How ICE chose its pair (regular-nomination.ts): each check's outcome and the relay hold. */
  | { event: "session_ice_nomination"; sessionId: string; trace: string }
  | { event: "session_closed"; sessionId: string; reason: string; durationMs: number }
  | { event: "session_error"; sessionId: string; message: string }
  | { event: "datachannel_open"; sessionId: string }
  | { event: "datachannel_bad_message"; sessionId: string; code: string; detail: string }
  | { event: "control_request"; sessionId: string; method: string; ok: boolean; ms: number; code?: string; message?: string }
  | { event: "control_event_failed"; sessionId: string; message: string }
  /** RFC 5780 NAT behaviour discovery (nat/monitor.ts): at start, after a network change, or a periodic refresh. */
  | {
      event: "nat_discovered";
      reason: NatDiscoveryReason;
      natType: NatType;
      mapping: MappingBehavior;
      filtering: FilteringBehavior;
      hairpinning: boolean | null;
      udpBlocked: boolean;
      rfc5780: boolean;
      server: string;
      mappedAddress?: string;
      durationMs: number;
      error?: string;
    }
  // Camera features (PTZ, settings, talk, snapshot, recording) log with their own `feature`.
  | { event: "feature"; feature: string; action: string; sessionId?: string; detail?: string };

/** session-start received (before the grant check), the viewer's answer, its first candidate, the first RTP sent. */
export type SessionMark = "start_received" | "answer_received" | "first_remote_candidate" | "dtls_connected" | "viewer_dtls_done" | "first_rtp_sent";

export type LogContext = { serial?: string; sessionId?: string };

export interface Logger {
  debug(e: LogEvent): void;
  info(e: LogEvent): void;
  warn(e: LogEvent): void;
  error(e: LogEvent): void;
  /** A logger whose lines also carry `context` (e.g. the session id). */
  child(context: LogContext): Logger;
}

export type LogSink = (line: string) => void;

export function createLogger(options: { level?: LogLevel; context?: LogContext; sink?: LogSink; now?: () => Date } = {}): Logger {
  const min = LEVEL_RANK[options.level ?? "info"];
  const sink = options.sink ?? ((line: string) => process.stdout.write(line + "\n"));
  const now = options.now ?? (() => new Date());
  const context = options.context ?? {};
  const write = (level: LogLevel, e: LogEvent): void => {
    if (LEVEL_RANK[level] < min) return;
    sink(JSON.stringify({ t: now().toISOString(), level, ...context, ...e }));
  };
  return {
    debug: (e) => write("debug", e),
    info: (e) => write("info", e),
    warn: (e) => write("warn", e),
    error: (e) => write("error", e),
    child: (extra) => createLogger({ ...options, context: { ...context, ...extra } }),
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
