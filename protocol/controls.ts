// Why: camera controls travel on the viewer↔device "control" data channel (SCTP over DTLS,
// RFC 8831), never through the edge. This is their one contract: request → response with ids,
// events pushed by the device, stable error codes, and who may call what. Both ends validate
// every message with these schemas; a bad one gets an error reply and never ends the session.
import { z } from "zod";
import type { Capability } from "./roles.ts";

/** Label of the second data channel: binary transfers (snapshots, recordings) so a large
 * download never sits in front of a PTZ command on the ordered control channel. */
export const BULK_CHANNEL_LABEL = "bulk";

/** A reply not received within this is a `timeout` at the viewer. */
export const CONTROL_REQUEST_TIMEOUT_MS = 10_000;
/** Binary transfer chunk size: 16 KiB is what every SCTP stack interoperates with (RFC 8831 §6.6). */
export const BULK_CHUNK_BYTES = 16 * 1024;
/** Bulk frame header: u32 transfer id, u8 flags (bit 0 = last chunk), u24 reserved. */
export const BULK_HEADER_BYTES = 8;
export const BULK_FLAG_LAST = 1;

const unit = z.number().min(-1).max(1);
const id = z.number().int().nonnegative().max(2 ** 31);
const Empty = z.object({}).strict();

// ---------------------------------------------------------------------------------------------
// Shared value types

export const PtzPositionSchema = z.object({
  /** -1 (left) … 1 (right) of the range the driver reports. */
  pan: unit,
  /** -1 (down) … 1 (up). */
  tilt: unit,
  /** 0 (wide) … 1 (tele). */
  zoom: z.number().min(0).max(1),
});
export type PtzPosition = z.infer<typeof PtzPositionSchema>;

export const PtzPresetSchema = z.object({
  token: z.string().min(1).max(64),
  name: z.string().min(1).max(64),
});
export type PtzPreset = z.infer<typeof PtzPresetSchema>;

export const PtzStatusSchema = z.object({
  driver: z.enum(["virtual", "onvif"]),
  position: PtzPositionSchema,
  moving: z.boolean(),
  presets: z.array(PtzPresetSchema).max(100),
});
export type PtzStatus = z.infer<typeof PtzStatusSchema>;

export const QUALITIES = ["sd", "hd"] as const;
export const QualitySchema = z.enum(QUALITIES);
export type Quality = z.infer<typeof QualitySchema>;

export const QualityProfileSchema = z.object({
  width: z.number().int().min(160).max(3840),
  height: z.number().int().min(90).max(2160),
  fps: z.number().int().min(1).max(60),
  bitrateKbps: z.number().int().min(64).max(20_000),
});
export type QualityProfile = z.infer<typeof QualityProfileSchema>;

export const NIGHT_MODES = ["auto", "on", "off"] as const;
export const RECORDING_MODES = ["off", "continuous", "on-demand"] as const;

/** A part of the picture motion counts in: normalized 0..1 from the top-left corner. */
export const MotionZoneSchema = z.object({
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  w: z.number().gt(0).max(1),
  h: z.number().gt(0).max(1),
});
export type MotionZone = z.infer<typeof MotionZoneSchema>;

export const MotionSettingsSchema = z.object({
  enabled: z.boolean(),
  /** 1 (only large movement) … 100 (the smallest change); 50 ≈ 1 % of the watched area. */
  sensitivity: z.number().int().min(1).max(100),
  /** Where motion counts; empty = the whole picture. */
  zones: z.array(MotionZoneSchema).max(8),
});
export type MotionSettings = z.infer<typeof MotionSettingsSchema>;

/** Everything a camera persists about itself. `viewer limit` lives at the edge (it enforces it). */
export const DeviceSettingsSchema = z.object({
  name: z.string().trim().min(1).max(64),
  /** IANA zone, e.g. "Europe/Berlin"; the device checks it against its zone database. */
  timeZone: z.string().min(1).max(64),
  /** Send the camera's microphone to viewers. */
  audio: z.boolean(),
  image: z.object({
    flip: z.boolean(),
    mirror: z.boolean(),
    night: z.enum(NIGHT_MODES),
  }),
  quality: z.object({ sd: QualityProfileSchema, hd: QualityProfileSchema }),
  recording: z.object({
    mode: z.enum(RECORDING_MODES),
    /** Oldest segments are deleted beyond this. */
    retentionMb: z.number().int().min(16).max(1_000_000),
  }),
  /** Motion detection (issue 13); absent from agents older than it. */
  motion: MotionSettingsSchema.optional(),
});
export type DeviceSettings = z.infer<typeof DeviceSettingsSchema>;

/** A partial update: any subset, nested objects partial too. Unknown keys are refused. */
export const DeviceSettingsPatchSchema = z
  .object({
    name: DeviceSettingsSchema.shape.name,
    timeZone: DeviceSettingsSchema.shape.timeZone,
    audio: z.boolean(),
    image: DeviceSettingsSchema.shape.image.partial().strict(),
    quality: z
      .object({ sd: QualityProfileSchema.partial().strict(), hd: QualityProfileSchema.partial().strict() })
      .partial()
      .strict(),
    recording: DeviceSettingsSchema.shape.recording.partial().strict(),
    /** `zones` replaces the whole list. */
    motion: MotionSettingsSchema.partial().strict(),
  })
  .partial()
  .strict();
export type DeviceSettingsPatch = z.infer<typeof DeviceSettingsPatchSchema>;

export const RecordingSegmentSchema = z.object({
  id: z.string().min(1).max(128),
  /** Unix ms of the first and just past the last frame. */
  start: z.number(),
  end: z.number(),
  bytes: z.number().int().nonnegative(),
});
export type RecordingSegment = z.infer<typeof RecordingSegmentSchema>;

export const RecordingStateSchema = z.object({
  mode: z.enum(RECORDING_MODES),
  /** A segment is being written now. */
  active: z.boolean(),
});
export type RecordingState = z.infer<typeof RecordingStateSchema>;

/** A motion event the camera cut and keeps (its thumbnail is fetched with events.thumbnail). */
export const MotionEventSchema = z.object({
  /** The same id the edge got in the device's `event` frame (device-edge.ts CameraEventIdSchema). */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  kind: z.literal("motion"),
  /** Unix ms of the first moving frame; `end` = the last one, null while it goes on. */
  start: z.number(),
  end: z.number().nullable(),
  /** The event's JPEG, null until it is made (or when it could not be). */
  thumbnail: z.object({ bytes: z.number().int().positive(), width: z.number().int(), height: z.number().int() }).nullable(),
  /** The time span the recordings hold for it (recordings.list {from, to}); null when the camera was not recording. */
  recording: z.object({ from: z.number(), to: z.number() }).nullable(),
});
export type MotionEvent = z.infer<typeof MotionEventSchema>;

export const TalkStateSchema = z.object({
  /** Who holds the talk floor (their display label), null when nobody talks. */
  by: z.string().max(128).nullable(),
  /** True in the event sent to the talker themself. */
  you: z.boolean(),
});
export type TalkState = z.infer<typeof TalkStateSchema>;

/** Night mode as viewers see it: the setting, and whether the night look is on the picture now
 * ("auto" follows the camera's clock), so the PWA can say why the picture is grey. */
export const NightStateSchema = z.object({
  mode: z.enum(NIGHT_MODES),
  active: z.boolean(),
});
export type NightState = z.infer<typeof NightStateSchema>;

/** What this camera can do, sent in the device's hello so the PWA shows only working controls. */
export const DeviceFeaturesSchema = z.object({
  ptz: z.enum(["virtual", "onvif"]).nullable(),
  qualities: z.array(QualitySchema).max(2),
  talk: z.boolean(),
  snapshot: z.boolean(),
  recording: z.boolean(),
  /** Motion events are detected and kept (absent: older agents, treated as false). */
  motion: z.boolean().optional(),
  /** Flip, mirror and night mode take effect (absent: older agents, treated as false). */
  image: z.boolean().optional(),
  /** Why a feature is missing, in words for the owner (e.g. "install ffmpeg on the camera host"). */
  notes: z.array(z.string().max(200)).max(10).optional(),
});
export type DeviceFeatures = z.infer<typeof DeviceFeaturesSchema>;

// ---------------------------------------------------------------------------------------------
// Methods: params and result schemas, and the capability each needs

export const CONTROL_METHODS = {
  "ptz.status": { params: Empty, result: PtzStatusSchema, capability: "watch" },
  /** Continuous move at the given velocities (-1…1); the device stops by itself after
   * `timeoutMs` so a lost "stop" never leaves the camera spinning. */
  "ptz.move": {
    params: z.object({ pan: unit, tilt: unit, zoom: unit, timeoutMs: z.number().int().min(100).max(10_000).optional() }).strict(),
    result: Empty,
    capability: "ptz",
  },
  "ptz.stop": { params: Empty, result: Empty, capability: "ptz" },
  "ptz.goto": { params: z.object({ token: PtzPresetSchema.shape.token }).strict(), result: Empty, capability: "ptz" },
  "ptz.home": { params: Empty, result: Empty, capability: "ptz" },
  "ptz.preset.save": {
    params: z.object({ name: PtzPresetSchema.shape.name, token: PtzPresetSchema.shape.token.optional() }).strict(),
    result: z.object({ preset: PtzPresetSchema }),
    capability: "ptz",
  },
  "ptz.preset.remove": { params: z.object({ token: PtzPresetSchema.shape.token }).strict(), result: Empty, capability: "ptz" },

  "settings.get": { params: Empty, result: z.object({ settings: DeviceSettingsSchema }), capability: "watch" },
  "settings.set": { params: z.object({ patch: DeviceSettingsPatchSchema }).strict(), result: z.object({ settings: DeviceSettingsSchema }), capability: "settings" },

  /** This session's stream (main/sub stream of classic cameras): switches without renegotiation. */
  "stream.quality": {
    params: z.object({ quality: QualitySchema }).strict(),
    result: z.object({ quality: QualitySchema, profile: QualityProfileSchema }),
    capability: "watch",
  },

  /** Whether night mode is on the picture now (absent from agents older than it: unknown_method). */
  "night.state": { params: Empty, result: NightStateSchema, capability: "watch" },

  "talk.start": { params: Empty, result: Empty, capability: "talk" },
  "talk.stop": { params: Empty, result: Empty, capability: "talk" },

  /** A JPEG of the current frame, delivered on the bulk channel as transfer `transfer`. */
  "snapshot.take": {
    params: Empty,
    result: z.object({ transfer: id, bytes: z.number().int().positive(), mime: z.literal("image/jpeg"), width: z.number().int(), height: z.number().int() }),
    capability: "snapshot",
  },

  "recordings.list": {
    params: z.object({ from: z.number(), to: z.number() }).strict(),
    result: z.object({ segments: z.array(RecordingSegmentSchema).max(5000), state: RecordingStateSchema }),
    capability: "playback",
  },
  /** One fMP4 segment, delivered on the bulk channel as transfer `transfer`. */
  "recordings.fetch": {
    params: z.object({ id: RecordingSegmentSchema.shape.id }).strict(),
    result: z.object({ transfer: id, bytes: z.number().int().nonnegative(), mime: z.string().max(100) }),
    capability: "playback",
  },
  /** Motion events overlapping [from, to] (Unix ms), newest first, at most `limit`; `more` when
   * older ones were left out (ask again with `to` = the oldest start returned). */
  "events.list": {
    params: z.object({ from: z.number(), to: z.number(), limit: z.number().int().min(1).max(500).optional() }).strict(),
    result: z.object({ events: z.array(MotionEventSchema).max(500), more: z.boolean() }),
    capability: "playback",
  },
  /** One event's JPEG, delivered on the bulk channel as transfer `transfer`. */
  "events.thumbnail": {
    params: z.object({ id: MotionEventSchema.shape.id }).strict(),
    result: z.object({ transfer: id, bytes: z.number().int().positive(), mime: z.literal("image/jpeg"), width: z.number().int(), height: z.number().int() }),
    capability: "playback",
  },
  /** On-demand recording (mode "on-demand"): start/stop now. */
  "recordings.start": { params: Empty, result: RecordingStateSchema, capability: "settings" },
  "recordings.stop": { params: Empty, result: RecordingStateSchema, capability: "settings" },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType; capability: Capability }>;

export type ControlMethod = keyof typeof CONTROL_METHODS;
export const CONTROL_METHOD_NAMES = Object.keys(CONTROL_METHODS) as ControlMethod[];
export type ControlParams<M extends ControlMethod> = z.infer<(typeof CONTROL_METHODS)[M]["params"]>;
export type ControlResultOf<M extends ControlMethod> = z.infer<(typeof CONTROL_METHODS)[M]["result"]>;

export function isControlMethod(m: string): m is ControlMethod {
  return Object.hasOwn(CONTROL_METHODS, m);
}

// ---------------------------------------------------------------------------------------------
// Events pushed by the device

export const CONTROL_EVENTS = {
  "ptz.status": PtzStatusSchema,
  "settings.changed": z.object({ settings: DeviceSettingsSchema }),
  "talk.state": TalkStateSchema,
  /** Night mode went on or off on the picture (the clock in "auto", or the owner's setting). */
  "night.state": NightStateSchema,
  "recording.state": RecordingStateSchema,
  /** This session's stream switched (after the first keyframe of the new one was sent). */
  "stream.quality": z.object({ quality: QualitySchema, profile: QualityProfileSchema }),
  /** A motion event started, got its thumbnail, or ended (sent to viewers with `playback`). */
  "motion.event": MotionEventSchema,
} as const satisfies Record<string, z.ZodType>;
export type ControlEventName = keyof typeof CONTROL_EVENTS;
export type ControlEventData<E extends ControlEventName> = z.infer<(typeof CONTROL_EVENTS)[E]>;

// ---------------------------------------------------------------------------------------------
// Errors: stable codes; `message` is the device's own reason, shown to the user as is.

export const CONTROL_ERROR_CODES = {
  malformed_message: "The request did not match the control protocol.",
  unknown_method: "The camera does not know this command.",
  forbidden: "Your access to this camera does not include this.",
  unsupported: "This camera cannot do that.",
  invalid_value: "The camera refused this value.",
  busy: "Someone else is using this control.",
  not_found: "The camera has no such item.",
  device_refused: "The camera refused the command.",
  timeout: "The camera did not answer in time.",
  unavailable: "The control channel is not open.",
  internal: "The camera hit an internal error.",
} as const;
export type ControlErrorCode = keyof typeof CONTROL_ERROR_CODES;

export const ControlErrorSchema = z.object({
  code: z.enum(Object.keys(CONTROL_ERROR_CODES) as [ControlErrorCode, ...ControlErrorCode[]]),
  message: z.string().max(500),
  /** The settings field a rejected value belongs to, e.g. "quality.hd.fps". */
  field: z.string().max(100).optional(),
});
export type ControlError = z.infer<typeof ControlErrorSchema>;

// ---------------------------------------------------------------------------------------------
// Envelopes (members of the data channel union in data-channel.ts)

export const DcRequestSchema = z.object({
  type: z.literal("req"),
  id,
  method: z.string().min(1).max(64),
  /** Validated per method by the device, after the envelope. */
  params: z.unknown().optional(),
});
export const DcResponseSchema = z.union([
  z.object({ type: z.literal("res"), id, ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal("res"), id, ok: z.literal(false), error: ControlErrorSchema }),
]);
export const DcEventSchema = z.object({
  type: z.literal("event"),
  event: z.string().min(1).max(64),
  data: z.unknown(),
});
export type DcRequest = z.infer<typeof DcRequestSchema>;
export type DcResponse = z.infer<typeof DcResponseSchema>;
export type DcEvent = z.infer<typeof DcEventSchema>;

/** Validates a method's params; the error names the field. */
export function parseParams<M extends ControlMethod>(
  method: M,
  params: unknown,
): { ok: true; value: ControlParams<M> } | { ok: false; error: ControlError } {
  const r = CONTROL_METHODS[method].params.safeParse(params ?? {});
  if (r.success) return { ok: true, value: r.data as ControlParams<M> };
  const issue = r.error.issues[0];
  const field = issue?.path.join(".") || undefined;
  return {
    ok: false,
    error: { code: "invalid_value", message: `${field ?? "params"}: ${issue?.message ?? "invalid"}`.slice(0, 500), ...(field ? { field } : {}) },
  };
}

/** Validates an event's data against its schema; null for unknown events or bad data. */
export function parseEvent(ev: DcEvent): { [E in ControlEventName]: { event: E; data: ControlEventData<E> } }[ControlEventName] | null {
  if (!Object.hasOwn(CONTROL_EVENTS, ev.event)) return null;
  const name = ev.event as ControlEventName;
  const r = CONTROL_EVENTS[name].safeParse(ev.data);
  return r.success ? ({ event: name, data: r.data } as never) : null;
}

/** Bulk frame: header + payload. */
export function encodeBulkFrame(transfer: number, last: boolean, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(BULK_HEADER_BYTES + payload.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, transfer >>> 0);
  view.setUint8(4, last ? BULK_FLAG_LAST : 0);
  out.set(payload, BULK_HEADER_BYTES);
  return out;
}

export function decodeBulkFrame(frame: Uint8Array): { transfer: number; last: boolean; payload: Uint8Array } | null {
  if (frame.byteLength < BULK_HEADER_BYTES) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  return {
    transfer: view.getUint32(0),
    last: (view.getUint8(4) & BULK_FLAG_LAST) !== 0,
    payload: frame.subarray(BULK_HEADER_BYTES),
  };
}
