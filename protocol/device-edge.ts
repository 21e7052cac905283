// Why: the messages on the device's signaling WebSocket (/ws/device/:serial). The device is
// authenticated by its vendor-signed JWT at upgrade time; the first frame is `hello`.
import { z } from "zod";
import { IceCandidateSchema, IceServerSchema, SdpSchema, SessionIdSchema } from "./ice.ts";
import { NatStatusSchema } from "./nat.ts";

const ErrorCodeSchema = z.string().min(1).max(64);

// ---- device → edge ----

export const DeviceHelloSchema = z.object({
  type: z.literal("hello"),
  v: z.number().int(),
  agent: z.object({
    version: z.string().max(64),
    source: z.string().max(64),
    /** Video codecs the device can send, in its preference order. */
    videoCodecs: z.array(z.enum(["H264", "VP8"])).max(4),
    audio: z.boolean(),
  }),
  /**
   * Sessions the device still plays from before this socket (it reconnected while viewers kept
   * watching peer-to-peer). The edge keeps those, ends the ones not listed, and answers
   * session-end for ones it no longer knows. Absent: none.
   */
  sessions: z.array(SessionIdSchema).max(64).optional(),
});

/** The device's SDP offer for one viewer session (the device offers: it owns the media). */
export const DeviceOfferSchema = z.object({
  type: z.literal("offer"),
  sessionId: SessionIdSchema,
  sdp: SdpSchema,
});

export const DeviceCandidateSchema = z.object({
  type: z.literal("candidate"),
  sessionId: SessionIdSchema,
  candidate: IceCandidateSchema,
});

/** The device ends a session (its peer connection failed or closed, or it refuses it). */
export const DeviceByeSchema = z.object({
  type: z.literal("bye"),
  sessionId: SessionIdSchema,
  reason: z.string().max(200).optional(),
});

/**
 * The device's view of its own network, sent after each NAT behaviour discovery (at start, on a
 * network change, every few hours) and again after each welcome. The edge keeps the latest.
 */
export const DeviceStatusSchema = z.object({
  type: z.literal("status"),
  nat: NatStatusSchema,
});

/** A camera-local event id: what the PWA asks the camera for over the data channel. */
export const CameraEventIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * Something happened on the camera (issue 13): the edge notifies the people who have it. Names
 * and times only — the picture stays on the camera and travels peer-to-peer. Sent only when the
 * edge's welcome lists DEVICE_EVENT_MESSAGE.
 */
export const DeviceEventSchema = z.object({
  type: z.literal("event"),
  event: z.object({
    id: CameraEventIdSchema,
    kind: z.enum(["motion"]),
    /** ISO 8601, the camera's clock. */
    startedAt: z.string().datetime({ offset: true }),
  }),
});

export const DeviceToEdgeSchema = z.discriminatedUnion("type", [
  DeviceHelloSchema,
  DeviceOfferSchema,
  DeviceCandidateSchema,
  DeviceByeSchema,
  DeviceStatusSchema,
  DeviceEventSchema,
]);
export type DeviceToEdge = z.infer<typeof DeviceToEdgeSchema>;

// ---- edge → device ----

export const EdgeDeviceWelcomeSchema = z.object({
  type: z.literal("welcome"),
  v: z.number().int(),
  serial: z.string(),
  /** Seconds between the device's keep-alive pings (text frame "ping", answered "pong"). */
  heartbeatSeconds: z.number().int().positive(),
  /**
   * Optional device messages this edge accepts (e.g. "status"). A device sends one only when
   * it is listed, so a newer agent never trips an older edge's frame validation (1008).
   * Free strings, not an enum: an older agent must not refuse a welcome naming a newer one.
   */
  accepts: z.array(z.string().max(32)).max(16).optional(),
  /**
   * STUN URLs for the device's NAT behaviour discovery at start (RFC 5780): its nearest TURN
   * regions' stun: URLs, then ICE_SERVERS' ones, nearest first. No credentials: STUN needs none.
   */
  stun: z.array(z.string().min(1).max(512)).max(4).optional(),
});

/** `accepts` value: the edge keeps the device's `status` (NAT behaviour). */
export const DEVICE_STATUS_MESSAGE = "status";

/** `accepts` value: the edge takes the camera's `event` frames and sends push notifications. */
export const DEVICE_EVENT_MESSAGE = "event";

/** A viewer joined: the device should create a peer connection and send an offer. */
export const EdgeSessionStartSchema = z.object({
  type: z.literal("session-start"),
  sessionId: SessionIdSchema,
  iceServers: z.array(IceServerSchema).max(8),
  /** The viewer's grant JWT (ES256, edge key): the device verifies it before offering. */
  grant: z.string().min(1).max(4096),
});

export const EdgeAnswerSchema = z.object({
  type: z.literal("answer"),
  sessionId: SessionIdSchema,
  sdp: SdpSchema,
});

export const EdgeCandidateSchema = z.object({
  type: z.literal("candidate"),
  sessionId: SessionIdSchema,
  candidate: IceCandidateSchema,
});

/** The viewer left or was cut off: the device should close that peer connection. */
export const EdgeSessionEndSchema = z.object({
  type: z.literal("session-end"),
  sessionId: SessionIdSchema,
  reason: z.string().max(200),
});

/**
 * The viewer asked for an ICE restart: the device restarts ICE on that session's peer connection
 * and sends a new offer (type "offer", same session id) with fresh ICE credentials.
 */
export const EdgeRestartSchema = z.object({
  type: z.literal("restart"),
  sessionId: SessionIdSchema,
});

/** A device message was refused; the session named (if any) is unaffected unless stated. */
export const EdgeDeviceErrorSchema = z.object({
  type: z.literal("error"),
  code: ErrorCodeSchema,
  message: z.string().max(500),
  sessionId: SessionIdSchema.optional(),
});

export const EdgeToDeviceSchema = z.discriminatedUnion("type", [
  EdgeDeviceWelcomeSchema,
  EdgeSessionStartSchema,
  EdgeAnswerSchema,
  EdgeCandidateSchema,
  EdgeSessionEndSchema,
  EdgeRestartSchema,
  EdgeDeviceErrorSchema,
]);
export type EdgeToDevice = z.infer<typeof EdgeToDeviceSchema>;
