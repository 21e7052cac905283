// Why: the "control" data channel the device creates (protocol/data-channel.ts): we greet it
// with our version, learn the device's name and features from its reply, ping it every 2 s,
// and hand control replies and events to the ControlClient.
import {
  DataChannelMessageSchema,
  type DataChannelMessage,
} from "../../../protocol/data-channel.ts";
import { MAX_DATA_CHANNEL_MESSAGE_BYTES, assertNever, parseMessage } from "../../../protocol/parse.ts";
import { PROTOCOL_VERSION } from "../../../protocol/version.ts";
import { createPingTracker } from "../lib/ping-tracker.ts";
import type { DeviceInfo } from "../lib/session-state.ts";
import type { ControlClient } from "./control-client.ts";

export const PING_INTERVAL_MS = 2000;

export interface ControlChannelHandlers {
  now(): number;
  onDevice(device: DeviceInfo): void;
  onRtt(ms: number): void;
  /** Gets the camera controls' replies and events. */
  client: ControlClient;
}

/** Wires the channel; returns a function that stops the pings. */
export function attachControlChannel(dc: RTCDataChannel, h: ControlChannelHandlers): () => void {
  const pings = createPingTracker();
  let timer: ReturnType<typeof setInterval> | undefined;
  const send = (msg: DataChannelMessage) => {
    if (dc.readyState === "open") dc.send(JSON.stringify(msg));
  };
  const onOpen = () => {
    send({ type: "hello", v: PROTOCOL_VERSION });
    send(pings.next(h.now()));
    timer = setInterval(() => send(pings.next(h.now())), PING_INTERVAL_MS);
  };
  dc.addEventListener("open", onOpen);
  dc.addEventListener("close", () => {
    clearInterval(timer);
    h.client.close("The control channel closed.");
  });
  dc.addEventListener("message", (ev: MessageEvent) => {
    const parsed = parseMessage(DataChannelMessageSchema, ev.data as string | ArrayBuffer, MAX_DATA_CHANNEL_MESSAGE_BYTES);
    if (!parsed.ok) {
      console.warn("porthole: dropped a control message", parsed.code, parsed.detail);
      return;
    }
    const msg = parsed.value;
    switch (msg.type) {
      case "hello":
        if (msg.device) h.onDevice(msg.device);
        break;
      case "ping":
        send({ type: "pong", id: msg.id, t: msg.t });
        break;
      case "pong": {
        const rtt = pings.answer(msg, h.now());
        if (rtt !== null) h.onRtt(rtt);
        break;
      }
      case "error":
        console.warn("porthole: camera reported", msg.code, msg.message);
        break;
      case "res":
        h.client.receiveResponse(msg);
        break;
      case "event":
        h.client.receiveEvent(msg);
        break;
      case "req":
        // Cameras make no requests of viewers.
        send({ type: "res", id: msg.id, ok: false, error: { code: "unknown_method", message: "viewers take no requests" } });
        break;
      default:
        assertNever(msg);
    }
  });
  if (dc.readyState === "open") onOpen();
  return () => clearInterval(timer);
}
