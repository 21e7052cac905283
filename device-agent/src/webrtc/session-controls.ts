// Why: binds one viewer's data channels to the camera's controls: requests on "control" go
// through the router (async, one bad request never affects the next), events go out on
// "control", binary transfers on "bulk" in 16 KiB frames paced by SCTP's send buffer.
import type { RTCDataChannel } from "werift";
import { BULK_CHUNK_BYTES, encodeBulkFrame, type DcRequest, type Quality, type QualityProfile, type SessionRole } from "../../../protocol/index.ts";
import type { CameraControls } from "../controls/camera-controls.ts";
import { ControlFailure } from "../controls/control-failure.ts";
import { routeControlRequest } from "../controls/control-router.ts";
import type { ControlSession, SessionStream } from "../controls/control-session.ts";
import type { Logger } from "../log.ts";

/** Above this much queued, a bulk sender waits for bufferedAmountLow (backpressure). */
export const BULK_HIGH_WATER_BYTES = 256 * 1024;
const BULK_LOW_WATER_BYTES = 64 * 1024;
const MAX_EARLY_MESSAGES = 32;

export interface SessionControls {
  readonly session: ControlSession;
  handle(req: DcRequest): void;
  /** Detaches from the camera's controls (talk floor released…). Idempotent. */
  close(): void;
}

export interface SessionControlsOptions {
  sessionId: string;
  role: SessionRole;
  label: string;
  controls: CameraControls;
  control: RTCDataChannel;
  bulk: RTCDataChannel;
  stream: SessionStream;
  logger: Logger;
}

/** The stream of a session whose camera has a single quality. */
export function fixedStream(quality: Quality = "sd"): SessionStream {
  return {
    quality,
    setQuality(): Promise<QualityProfile> {
      return Promise.reject(ControlFailure.unsupported("This camera has one stream quality."));
    },
  };
}

export function bindSessionControls(o: SessionControlsOptions): SessionControls {
  const log = o.logger;
  let closed = false;
  /** Events emitted before the channel opened (state on join: who talks, PTZ position…). */
  const early: string[] = [];
  const write = (text: string): void => {
    try {
      o.control.send(text);
    } catch (e) {
      log.warn({ event: "session_error", sessionId: o.sessionId, message: `control send: ${(e as Error).message}` });
    }
  };
  const sendJson = (msg: unknown): void => {
    if (closed) return;
    const text = JSON.stringify(msg);
    if (o.control.readyState === "open") return write(text);
    // Features greet a session as it attaches, before SCTP is up: hold those (bounded) and
    // send them on open, in order, so a viewer who joins mid-talk sees who is talking.
    if (o.control.readyState === "connecting" && early.length < MAX_EARLY_MESSAGES) early.push(text);
  };
  o.control.stateChanged.subscribe((state) => {
    if (state !== "open" || closed) return;
    for (const text of early.splice(0)) write(text);
  });
  o.bulk.bufferedAmountLowThreshold = BULK_LOW_WATER_BYTES;
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      if (o.bulk.bufferedAmount <= BULK_HIGH_WATER_BYTES) return resolve();
      const { unSubscribe } = o.bulk.bufferedAmountLow.subscribe(() => {
        unSubscribe();
        resolve();
      });
    });

  const session: ControlSession = {
    sessionId: o.sessionId,
    role: o.role,
    label: o.label,
    stream: o.stream,
    emit(event, data) {
      sendJson({ type: "event", event, data });
    },
    async sendBulk(transfer, bytes) {
      let offset = 0;
      do {
        if (closed || o.bulk.readyState !== "open") throw new ControlFailure("unavailable", "the viewer's bulk channel closed");
        const end = Math.min(offset + BULK_CHUNK_BYTES, bytes.byteLength);
        o.bulk.send(Buffer.from(encodeBulkFrame(transfer, end >= bytes.byteLength, bytes.subarray(offset, end))));
        offset = end;
        await drained();
      } while (offset < bytes.byteLength);
    },
  };
  const detach = o.controls.attach(session);

  return {
    session,
    handle(req) {
      const t0 = performance.now();
      void routeControlRequest(req, o.controls.handlers, session).then(({ response, failure }) => {
        const ms = Math.round(performance.now() - t0);
        log.info({
          event: "control_request",
          sessionId: o.sessionId,
          method: req.method.slice(0, 64),
          ok: !failure,
          ms,
          ...(failure ? { code: failure.code, message: failure.message.slice(0, 200) } : {}),
        });
        sendJson(response);
      });
    },
    close() {
      if (closed) return;
      closed = true;
      detach();
    },
  };
}
