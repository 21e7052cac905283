// Why: the edge's event index (issue 13, item 3) — what happened across all of a person's
// cameras without connecting to each. Per event only the camera's serial, the event's id, its
// kind and its start time: pictures stay on the camera and travel peer-to-peer.
import { z } from "zod";
import { CameraEventIdSchema } from "./device-edge.ts";
import { SerialSchema } from "./ice.ts";

/** Events the edge keeps per camera (the camera keeps as many: device-agent event-retention.ts). */
export const EDGE_EVENTS_KEPT_PER_CAMERA = 2_000;
/** Days the edge keeps an event (as the camera does). */
export const EDGE_EVENTS_KEPT_DAYS = 30;
/** Events one camera may add to the index per minute; more are dropped (a broken camera cannot fill D1). */
export const EDGE_EVENTS_PER_MINUTE = 30;
/** Events one GET /api/events page holds at most, and when `limit` is left out. */
export const EVENTS_PAGE_MAX = 100;
export const EVENTS_PAGE_DEFAULT = 50;

/** Query strings carry digits only: "12", never "1e3", "-1" or " 12". */
const digits = (max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, "a whole number")
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));

/**
 * GET /api/events?before=<ms>&limit=<n>&serial=<serial>: events that started before `before`
 * (Unix ms; absent: now), newest first; `serial` narrows it to one camera.
 */
export const EventsQuerySchema = z
  .object({
    before: digits(Number.MAX_SAFE_INTEGER).optional(),
    limit: digits(EVENTS_PAGE_MAX).default(EVENTS_PAGE_DEFAULT),
    serial: SerialSchema.optional(),
  })
  .strict();
/** The query as the edge reads it (query strings: every value a string). */
export type EventsQuery = z.input<typeof EventsQuerySchema>;

/** One event in the index: names and times only — never a picture. */
export const IndexedEventSchema = z
  .object({
    serial: SerialSchema,
    id: CameraEventIdSchema,
    kind: z.enum(["motion"]),
    /** Unix ms, the camera's clock (the edge's when the camera's was far ahead). */
    startedAt: z.number().int(),
  })
  .strict();
export type IndexedEvent = z.infer<typeof IndexedEventSchema>;

/** The answer: newest first; `more` when older ones are left (ask again with `before` = the last startedAt). */
export const EventsPageSchema = z.object({ events: z.array(IndexedEventSchema).max(EVENTS_PAGE_MAX), more: z.boolean() }).strict();
export type EventsPage = z.infer<typeof EventsPageSchema>;
