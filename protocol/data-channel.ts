// Why: messages between viewer and device on the WebRTC data channel "control" (SCTP over
// DTLS, RFC 8831): they never touch the edge. hello/ping/pong plus the camera controls
// request/response/event envelopes (controls.ts).
import { z } from "zod";
import { CONTROL_METHODS, DcEventSchema, DcRequestSchema, DcResponseSchema, DeviceFeaturesSchema, isControlMethod } from "./controls.ts";
import { can, type Capability, type SessionRole } from "./roles.ts";

/** The label of the control data channel the device creates. */
export const CONTROL_CHANNEL_LABEL = "control";

export const DcHelloSchema = z.object({
  type: z.literal("hello"),
  v: z.number().int(),
  /** Present in the device's reply. */
  device: z
    .object({
      serial: z.string(),
      name: z.string().max(128),
      source: z.string().max(64),
      /** What the camera can do; absent from devices older than the controls. */
      features: DeviceFeaturesSchema.optional(),
    })
    .optional(),
});

export const DcPingSchema = z.object({
  type: z.literal("ping"),
  id: z.number().int().nonnegative(),
  /** Sender's clock (ms); echoed back so the sender measures the round trip. */
  t: z.number(),
});

export const DcPongSchema = z.object({
  type: z.literal("pong"),
  id: z.number().int().nonnegative(),
  t: z.number(),
});

export const DcErrorSchema = z.object({
  type: z.literal("error"),
  code: z.string().min(1).max(64),
  message: z.string().max(500),
  /** The id of the request this answers, when there was one. */
  id: z.number().int().nonnegative().optional(),
});

export const DataChannelMessageSchema = z.union([
  DcHelloSchema,
  DcPingSchema,
  DcPongSchema,
  DcErrorSchema,
  DcRequestSchema,
  DcResponseSchema,
  DcEventSchema,
]);
export type DataChannelMessage = z.infer<typeof DataChannelMessageSchema>;

/**
 * The capability each control message needs (null: any session may send it). Every message
 * type must be listed, so adding a camera control without deciding who may use it does not
 * compile. Checked by the device, which trusts only the role in the grant it verified.
 */
export const CONTROL_MESSAGE_CAPABILITY = {
  hello: null,
  ping: null,
  pong: null,
  error: null,
  // Requests are gated per method (missingCapability reads CONTROL_METHODS).
  req: null,
  res: null,
  event: null,
} as const satisfies Record<DataChannelMessage["type"], Capability | null>;

/**
 * Whether a session with `role` may send a control message of `type`; `table` is injectable so
 * the gate is testable before any gated message exists. Returns the capability that is missing.
 */
export function missingCapability(
  role: SessionRole,
  type: string,
  table: Readonly<Record<string, Capability | null>> = CONTROL_MESSAGE_CAPABILITY,
): Capability | null {
  // A type missing from the table is refused as "manage" (deny by default).
  const needed: Capability | null = Object.hasOwn(table, type) ? (table[type] ?? null) : "manage";
  return needed === null || can(role, needed) ? null : needed;
}

/** The capability a control request method needs that `role` lacks; unknown methods need "manage". */
export function missingMethodCapability(role: SessionRole, method: string): Capability | null {
  const needed: Capability = isControlMethod(method) ? CONTROL_METHODS[method].capability : "manage";
  return can(role, needed) ? null : needed;
}
