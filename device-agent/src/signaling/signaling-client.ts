// Why: keeps the device's signaling WebSocket to the edge up: hello first, an application
// heartbeat (text "ping"/"pong", which the edge answers without waking its Durable Object),
// reconnection through the injected policy, and a hard stop on permanent refusals.
import WebSocket from "ws";
import {
  EdgeToDeviceSchema,
  parseMessage,
  type DeviceToEdge,
  type EdgeToDevice,
} from "../../../protocol/index.ts";
import type { ReconnectPolicy } from "../../../protocol/reconnect-policy.ts";
import { AgentError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { replacedByOwnLateAttempt, type StaleAttemptState } from "./stale-attempt.ts";
import { classifyClose, classifyRefusal } from "./refusal.ts";

type DeviceHello = Extract<DeviceToEdge, { type: "hello" }>;
type Welcome = Extract<EdgeToDevice, { type: "welcome" }>;

export interface SignalingClientOptions {
  url: string;
  token: string;
  /**
   * The hello sent on every (re)connect. A function so it can list the sessions still playing
   * peer-to-peer from before the reconnect: the edge keeps exactly those (hub device-events.ts).
   */
  hello: DeviceHello | (() => DeviceHello);
  policy: ReconnectPolicy;
  logger: Logger;
  /** Every validated edge message except welcome. */
  onMessage(msg: EdgeToDevice): void;
  onConnected?(welcome: Welcome): void;
  onDisconnected?(): void;
  /** Permanent failure: the client has stopped and will not retry. */
  onFatal(error: AgentError): void;
  /** Missing pongs for this many heartbeat intervals kills the socket (default 2). */
  heartbeatMissIntervals?: number;
  /** Give the edge this long to send welcome after open. */
  welcomeTimeoutMs?: number;
  now?: () => number;
}

export interface SignalingClient {
  start(): void;
  /** Sends if connected; returns false when the frame could not be sent. */
  send(msg: DeviceToEdge): boolean;
  stop(): Promise<void>;
  readonly connected: boolean;
}

export function createSignalingClient(o: SignalingClientOptions): SignalingClient {
  const log = o.logger;
  const now = o.now ?? (() => Date.now());
  let ws: WebSocket | undefined;
  let welcomed = false;
  let stopped = false;
  let retryCount = 0;
  let attempt = 0;
  let lostAt: number | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let welcomeTimer: NodeJS.Timeout | undefined;
  /** Abandoned attempts that may still reach the edge late (stale-attempt.ts). */
  const stale: StaleAttemptState = { abandonedAt: undefined, retried: 0 };

  const clearTimers = (): void => {
    if (heartbeat) clearInterval(heartbeat);
    if (welcomeTimer) clearTimeout(welcomeTimer);
    heartbeat = welcomeTimer = undefined;
  };

  const fatal = (error: AgentError): void => {
    if (stopped) return;
    stopped = true;
    clearTimers();
    if (retryTimer) clearTimeout(retryTimer);
    ws?.terminate();
    o.onFatal(error);
  };

  const scheduleRetry = (lastError: string): void => {
    if (stopped) return;
    lostAt ??= now();
    const delay = o.policy.nextRetryDelayInMs({ retryCount, elapsedMs: now() - lostAt, lastError });
    if (delay === null) {
      fatal(new AgentError("edge_unreachable", `gave up reconnecting to the edge after ${retryCount} attempts (last error: ${lastError})`));
      return;
    }
    log.info({ event: "signaling_retry", delayMs: delay, retryCount, lastError });
    retryCount++;
    retryTimer = setTimeout(connect, delay);
  };

  const connect = (): void => {
    retryTimer = undefined;
    if (stopped) return;
    attempt++;
    log.info({ event: "signaling_connecting", url: o.url, attempt });
    const socket = new WebSocket(o.url, {
      headers: { authorization: `Bearer ${o.token}` },
      handshakeTimeout: 10_000,
      maxPayload: 256 * 1024,
    });
    ws = socket;
    // Each attempt ends exactly once (refusal, error and close can all fire for one socket).
    let settled = false;
    let welcomedHere = false;
    let replacedHere = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimers();
      if (ws === socket) ws = undefined;
      if (welcomed) {
        welcomed = false;
        o.onDisconnected?.();
      }
      // Ended before the edge welcomed it: the edge may still take it later (stale-attempt.ts).
      if (!welcomedHere && !replacedHere) {
        stale.abandonedAt = now();
        stale.retried = 0;
      }
      fn();
    };

    socket.on("unexpected-response", (req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      const done = (): void => {
        const status = res.statusCode ?? 0;
        const verdict = classifyRefusal(status, Buffer.concat(chunks).toString("utf8"));
        log.warn({ event: "signaling_refused", status, code: verdict.code, message: verdict.message });
        req.destroy();
        settle(() => {
          if (verdict.permanent) fatal(AgentError.edgeRefused(verdict.code as never, verdict.message));
          else scheduleRetry(verdict.code);
        });
      };
      res.on("end", done);
      res.on("error", done);
    });

    socket.on("open", () => {
      log.info({ event: "signaling_open", url: o.url });
      socket.send(JSON.stringify(typeof o.hello === "function" ? o.hello() : o.hello));
      welcomeTimer = setTimeout(() => {
        log.warn({ event: "signaling_heartbeat_timeout", silentMs: o.welcomeTimeoutMs ?? 10_000 });
        socket.terminate();
      }, o.welcomeTimeoutMs ?? 10_000);
    });

    socket.on("message", (data, isBinary) => {
      const text = isBinary ? undefined : data.toString();
      if (text === "pong") {
        lastPongAt = now();
        return;
      }
      const parsed = parseMessage(EdgeToDeviceSchema, text ?? (data as Buffer));
      if (!parsed.ok) {
        // A frame we don't understand (e.g. a newer edge) is logged, not fatal.
        log.warn({ event: "signaling_bad_frame", code: parsed.code, detail: parsed.detail });
        return;
      }
      const msg = parsed.value;
      if (msg.type === "welcome") {
        if (welcomeTimer) clearTimeout(welcomeTimer);
        welcomeTimer = undefined;
        welcomed = true;
        welcomedHere = true;
        retryCount = 0;
        lostAt = undefined;
        log.info({ event: "signaling_welcome", heartbeatSeconds: msg.heartbeatSeconds });
        startHeartbeat(socket, msg.heartbeatSeconds * 1000);
        o.onConnected?.(msg);
        return;
      }
      if (msg.type === "error") {
        log.warn({ event: "signaling_edge_error", code: msg.code, message: msg.message, ...(msg.sessionId ? { sessionId: msg.sessionId } : {}) });
      }
      o.onMessage(msg);
    });

    socket.on("error", (err) => {
      settle(() => scheduleRetry(`network: ${err.message}`));
    });

    socket.on("close", (code, reasonBuf) => {
      const reason = reasonBuf.toString();
      log.info({ event: "signaling_closed", code, reason });
      const verdict = classifyClose(code, reason);
      // Judged before settle() may count this very socket as abandoned.
      const ownLate = verdict.kind === "replaced" && replacedByOwnLateAttempt(stale, now());
      if (verdict.kind === "replaced") replacedHere = true;
      settle(() => {
        if (ownLate) {
          stale.retried++;
          log.warn({ event: "signaling_replaced_by_own_attempt", retried: stale.retried });
          scheduleRetry("replaced by an earlier attempt of this agent");
        } else if (verdict.kind === "replaced") fatal(AgentError.deviceReplaced());
        else if (verdict.kind === "refused") fatal(AgentError.edgeRefused(verdict.code, reason));
        else scheduleRetry(verdict.error);
      });
    });
  };

  let lastPongAt = 0;
  const startHeartbeat = (socket: WebSocket, intervalMs: number): void => {
    lastPongAt = now();
    const limit = intervalMs * (o.heartbeatMissIntervals ?? 2);
    heartbeat = setInterval(() => {
      const silent = now() - lastPongAt;
      if (silent > limit) {
        log.warn({ event: "signaling_heartbeat_timeout", silentMs: silent });
        // terminate(): a dead peer never completes a close handshake.
        socket.terminate();
        return;
      }
      if (socket.readyState === WebSocket.OPEN) socket.send("ping");
    }, intervalMs);
  };

  return {
    start() {
      if (!ws && !retryTimer && !stopped) connect();
    },
    send(msg) {
      if (!ws || ws.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(msg));
      return true;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimers();
      if (retryTimer) clearTimeout(retryTimer);
      const socket = ws;
      if (!socket) return;
      if (socket.readyState !== WebSocket.OPEN) {
        socket.terminate();
        return;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          socket.terminate();
          resolve();
        }, 1000);
        socket.once("close", () => {
          clearTimeout(t);
          resolve();
        });
        socket.close(1000, "agent stopping");
      });
    },
    get connected() {
      return welcomed;
    },
  };
}
