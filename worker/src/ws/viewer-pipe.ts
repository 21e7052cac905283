// Why: a viewer's frames pass through the worker on their way to the camera's hub, and the worker
// spends the socket's frame budget (hub/frame-budget.ts) before a frame reaches the hub. The hub
// holds its sockets with the Hibernation API, where each incoming frame is a separate event of
// the Durable Object: measured in local workerd at ~1 ms each, run ahead of everything else the
// object (and its isolate) has to do — 10 000 frames from one viewer held a second viewer's
// session 6–12 s, even when the hub dropped them unread, since workerd keeps delivering a
// socket's frames after the hub closed it, until the peer's close arrives (RFC 6455 §5.5.1).
// A frame on a socket the worker accepted is an ordinary event in the worker's own request, which
// interleaves with other requests, and once the budget is spent it is dropped at the cost of a
// flag check. The hub still sees every socket the viewer opens, hibernates, and answers pings.
import { closeReason, ERROR_CODES, MAX_SIGNALING_FRAME_BYTES, type EdgeToViewer } from "../../../protocol/index.ts";
import { FRAME_BUDGETS, TokenBucket, type BudgetRule } from "../hub/frame-budget.ts";
import { sendableCloseCode, trySocket } from "./socket-safety.ts";

/**
 * The hub's answer to a viewer upgrade, with the worker in the middle: frames from the viewer go
 * on while its budget lasts; the first one over it closes the viewer 1008 `too_many_messages`
 * and the hub's socket with the same reason (the hub ends that session, no grace). Anything but
 * an accepted WebSocket passes through unchanged.
 */
export function pipeViewerSocket(hubResponse: Response, rule: BudgetRule = FRAME_BUDGETS.viewer, now: () => number = Date.now): Response {
  const hub = hubResponse.webSocket;
  if (hubResponse.status !== 101 || !hub) return hubResponse;
  const { 0: client, 1: viewer } = new WebSocketPair();
  hub.accept();
  viewer.accept();
  const bucket = new TokenBucket(rule);
  let over = false;

  const onFrame = (event: MessageEvent) => {
    if (over) return;
    if (bucket.take(now())) {
      trySocket(() => hub.send(frameOf(event)));
      return;
    }
    over = true;
    // workerd still reads the flood until the viewer's close comes; with no listener each of
    // those frames no longer enters JavaScript.
    viewer.removeEventListener("message", onFrame);
    const detail = `more than ${rule.burst} messages at once or ${rule.perSecond} a second`;
    const reason = closeReason("too_many_messages", detail);
    trySocket(() => viewer.send(JSON.stringify({ type: "error", code: "too_many_messages", message: `${ERROR_CODES.too_many_messages.message} ${detail}` } satisfies EdgeToViewer)));
    trySocket(() => viewer.close(ERROR_CODES.too_many_messages.close, reason));
    // The hub reads this close as over budget (frame-budget.ts isOverBudgetClose).
    trySocket(() => hub.close(ERROR_CODES.too_many_messages.close, reason));
  };
  viewer.addEventListener("message", onFrame);
  hub.addEventListener("message", (event) => trySocket(() => viewer.send(frameOf(event))));
  // Each side's close reaches the other with its code and reason: the hub tells a viewer that
  // left (grace) from one it closed, and the viewer reads why the hub closed it.
  viewer.addEventListener("close", (event) => trySocket(() => hub.close(sendableCloseCode(event.code), passedReason(event))));
  hub.addEventListener("close", (event) => trySocket(() => viewer.close(sendableCloseCode(event.code), passedReason(event))));
  viewer.addEventListener("error", () => trySocket(() => hub.close(1011, "viewer socket error")));
  hub.addEventListener("error", () => trySocket(() => viewer.close(1011, "hub socket error")));
  return new Response(null, { status: 101, webSocket: client });
}

/**
 * A frame as it came. Text stays text. workerd hands binary frames over as a Blob, whose bytes
 * only an await would give, which could reorder frames; the hub refuses every binary frame (text
 * JSON only) and reads nothing of it but its size, so it gets zeros of that size (capped just past
 * the hub's frame limit) and refuses it as it would have refused the original.
 */
function frameOf(event: MessageEvent): string | Uint8Array {
  const data: unknown = event.data;
  if (typeof data === "string") return data;
  const size = data instanceof Blob ? data.size : data instanceof ArrayBuffer ? data.byteLength : ArrayBuffer.isView(data) ? data.byteLength : 0;
  return new Uint8Array(Math.min(size, MAX_SIGNALING_FRAME_BYTES + 1));
}

/** The reason to pass on; a code that cannot be sent (1006: the peer vanished) is named in it. */
function passedReason(event: CloseEvent): string {
  return sendableCloseCode(event.code) === event.code ? event.reason : `closed ${event.code}${event.reason ? ` ${event.reason}` : ""}`.slice(0, 123);
}
