// Why: the viewer↔device "control" data channel (RFC 8831). Pure request→reply logic so it is
// testable without SCTP; a bad message gets an error reply and never ends the session.
import {
  DataChannelMessageSchema,
  MAX_DATA_CHANNEL_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  assertNever,
  isSupportedVersion,
  parseMessage,
  type DataChannelMessage,
} from "../../../protocol/index.ts";

export interface DeviceInfo {
  serial: string;
  name: string;
  source: string;
}

export type ControlResult =
  | { reply: DataChannelMessage; bad?: { code: string; detail: string } }
  | { reply: null; bad?: undefined };

/** Decides the reply to one data channel message. */
export function handleControlMessage(raw: string | Buffer, device: DeviceInfo): ControlResult {
  const parsed = parseMessage(DataChannelMessageSchema, raw, MAX_DATA_CHANNEL_MESSAGE_BYTES);
  if (!parsed.ok) {
    return {
      reply: { type: "error", code: parsed.code, message: parsed.detail.slice(0, 500) },
      bad: { code: parsed.code, detail: parsed.detail },
    };
  }
  const msg = parsed.value;
  switch (msg.type) {
    case "hello":
      if (!isSupportedVersion(msg.v)) {
        return {
          reply: { type: "error", code: "unsupported_version", message: `version ${msg.v} not supported; device speaks ${PROTOCOL_VERSION}` },
          bad: { code: "unsupported_version", detail: `v=${msg.v}` },
        };
      }
      return {
        reply: {
          type: "hello",
          v: PROTOCOL_VERSION,
          device: { serial: device.serial, name: device.name.slice(0, 128), source: device.source.slice(0, 64) },
        },
      };
    case "ping":
      return { reply: { type: "pong", id: msg.id, t: msg.t } };
    case "pong":
    case "error":
      // The device sends no pings and makes no requests yet; nothing to answer.
      return { reply: null };
    default:
      return assertNever(msg);
  }
}
