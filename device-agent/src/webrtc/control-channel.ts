// Why: the viewer↔device "control" data channel (RFC 8831). Pure request→reply logic so it is
// testable without SCTP; a bad message gets an error reply and never ends the session.
import {
  DataChannelMessageSchema,
  MAX_DATA_CHANNEL_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  assertNever,
  isSupportedVersion,
  missingCapability,
  parseMessage,
  type Capability,
  type DataChannelMessage,
  type DcRequest,
  type DeviceFeatures,
  type SessionRole,
} from "../../../protocol/index.ts";

export interface DeviceInfo {
  serial: string;
  name: string;
  source: string;
  features?: DeviceFeatures;
}

export type ControlResult =
  | { reply: DataChannelMessage; bad?: { code: string; detail: string }; request?: undefined }
  | { reply: null; bad?: undefined; request?: undefined }
  /** A control request: the caller routes it (async) through the controls router. */
  | { reply: null; bad?: undefined; request: DcRequest };

/**
 * Refuses a message the session's role may not send (the role comes from the grant the agent
 * verified itself, never from the viewer), with DcError "forbidden"; null when allowed.
 */
export function gateControlMessage(
  role: SessionRole,
  msg: { type: string; id?: number },
  table?: Readonly<Record<string, Capability | null>>,
): ControlResult | null {
  const missing = missingCapability(role, msg.type, table);
  if (missing === null) return null;
  return {
    reply: { type: "error", code: "forbidden", message: `A ${role} session may not ${missing} (${msg.type}).`, ...(msg.id !== undefined ? { id: msg.id } : {}) },
    bad: { code: "forbidden", detail: `${msg.type} needs ${missing}; role ${role}` },
  };
}

/** Decides the reply to one data channel message from a session with `role`. */
export function handleControlMessage(raw: string | Buffer, device: DeviceInfo, role: SessionRole): ControlResult {
  const parsed = parseMessage(DataChannelMessageSchema, raw, MAX_DATA_CHANNEL_MESSAGE_BYTES);
  if (!parsed.ok) {
    return {
      reply: { type: "error", code: parsed.code, message: parsed.detail.slice(0, 500) },
      bad: { code: parsed.code, detail: parsed.detail },
    };
  }
  const msg = parsed.value;
  const refused = gateControlMessage(role, msg);
  if (refused) return refused;
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
          device: {
            serial: device.serial,
            name: device.name.slice(0, 128),
            source: device.source.slice(0, 64),
            ...(device.features ? { features: device.features } : {}),
          },
        },
      };
    case "ping":
      return { reply: { type: "pong", id: msg.id, t: msg.t } };
    case "req":
      return { reply: null, request: msg };
    case "pong":
    case "error":
    case "res":
    case "event":
      // The device sends no pings and makes no requests to viewers; nothing to answer.
      return { reply: null };
    default:
      return assertNever(msg);
  }
}
