// Why: push notifications (issue 13; RFC 8030 delivery, RFC 8291 encryption, RFC 8292 VAPID) —
// what the PWA sends to subscribe and what the service worker receives. The payload names the
// camera and the time and carries ids only: pictures stay on the camera, peer-to-peer.
import { z } from "zod";
import { CameraEventIdSchema } from "./device-edge.ts";

/** Longest push endpoint URL the edge stores (FCM's are ~190 characters, Mozilla's ~250). */
export const PUSH_ENDPOINT_MAX = 1024;
/** Subscriptions one account may hold (a browser each: phones, laptops). */
export const PUSH_SUBSCRIPTIONS_PER_ACCOUNT = 10;

/** "HH:MM", 24-hour local time. */
export const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** Local times between which this browser gets no notifications; start > end spans midnight. */
export const QuietHoursSchema = z.object({ start: LocalTimeSchema, end: LocalTimeSchema }).strict();
export type QuietHours = z.infer<typeof QuietHoursSchema>;

/** POST /api/push/subscriptions: PushSubscription.toJSON() plus this browser's quiet hours. */
export const PushSubscribeRequestSchema = z
  .object({
    endpoint: z.string().min(1).max(PUSH_ENDPOINT_MAX),
    keys: z.object({
      /** Uncompressed P-256 point, base64url (65 bytes → 87 characters). */
      p256dh: z.string().regex(/^[A-Za-z0-9_-]{87}$/),
      /** 16 bytes, base64url (22 characters). */
      auth: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    }),
    /** The browser's IANA time zone (Intl.DateTimeFormat().resolvedOptions().timeZone). */
    timeZone: z.string().min(1).max(64).default("UTC"),
    quietHours: QuietHoursSchema.nullable().default(null),
  })
  .strip();
export type PushSubscribeRequest = z.input<typeof PushSubscribeRequestSchema>;

/** DELETE /api/push/subscriptions: this browser unsubscribed. */
export const PushUnsubscribeRequestSchema = z.object({ endpoint: z.string().min(1).max(PUSH_ENDPOINT_MAX) }).strip();

/** GET /api/push/vapid-key: the applicationServerKey for PushManager.subscribe (base64url). */
export interface VapidKeyAnswer {
  publicKey: string;
}

/** GET/PUT /api/push/cameras/:serial: notifications for this camera on this account. */
export const PushCameraSettingSchema = z.object({ on: z.boolean() }).strict();
export type PushCameraSetting = z.infer<typeof PushCameraSettingSchema>;

/** What the service worker receives, decrypted. Names, time, ids — never a picture. */
export const PushPayloadSchema = z
  .object({
    v: z.literal(1),
    serial: z.string().min(1).max(64),
    cameraName: z.string().max(128),
    eventId: CameraEventIdSchema,
    /** ISO 8601, the camera's clock. */
    startedAt: z.string().max(40),
    /** Events on this camera the rate limit held back since the last notification. */
    more: z.number().int().min(0),
  })
  .strict();
export type PushPayload = z.infer<typeof PushPayloadSchema>;

export { eventPath } from "./event-path.ts";
