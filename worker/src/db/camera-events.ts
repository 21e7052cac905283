// Why: camera_events, the edge's event index (issue 13, item 3): written by the DeviceHub when a
// camera reports an event, read by GET /api/events across the caller's cameras and by the camera
// list (the latest event). Who sees a camera's events: everyone whose role has `playback`, for
// the events since its current owner claimed it — a camera sold on does not bring the last
// household's history to the next.
import { and, desc, eq, gte, inArray, lt, max, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { can, ROLES, type IndexedEvent } from "../../../protocol/index.ts";
import type { Db } from "./client.ts";
import { cameraEvents, deviceAccess, type CameraEventRow } from "./schema.ts";

/** Roles that may see a camera's events (the camera's events.list needs the same). */
export const EVENT_ROLES = ROLES.filter((r) => can(r, "playback"));

export interface EventRetention {
  keptPerCamera: number;
  /** Rows received before this (edge ms) are gone. */
  keptSince: number;
}

/**
 * Records one event (a repeated id is ignored: a camera resends after a reconnect). With
 * `retention`, the camera's rows past the count or the age go in the same round trip.
 */
export async function recordCameraEvent(d: Db, row: CameraEventRow, retention?: EventRetention): Promise<void> {
  if (!retention) {
    await d.insert(cameraEvents).values(row).onConflictDoNothing().run();
    return;
  }
  // In SQL, one batch (one round trip, one transaction): drizzle has no LIMIT -1 (SQLite's "no
  // limit") to put the OFFSET after, and its raw statements do not batch.
  const client = d.$client;
  await client.batch([
    client.prepare(INSERT).bind(row.serial, row.id, row.kind, row.startedAt, row.receivedAt),
    client.prepare(PRUNE).bind(row.serial, retention.keptSince, row.serial, retention.keptPerCamera),
  ]);
}

const INSERT = "INSERT OR IGNORE INTO camera_events (serial, id, kind, started_at, received_at) VALUES (?, ?, ?, ?, ?)";
/** The camera's rows received before the cut-off, and those past the newest `keptPerCamera` (the serial/started_at index serves both). */
const PRUNE = `DELETE FROM camera_events WHERE serial = ? AND (received_at < ? OR id IN (
  SELECT id FROM camera_events WHERE serial = ? ORDER BY started_at DESC LIMIT -1 OFFSET ?))`;

export interface EventListing {
  userId: string;
  /** Exclusive, Unix ms. */
  before: number;
  /** Rows to read (the route asks for one more than it answers). */
  limit: number;
  serial?: string;
  /** Events received before this (edge ms) are past retention and not listed, pruned or not. */
  keptSince: number;
}

const owner = alias(deviceAccess, "owner");

/** The caller's visible events, newest first (ties in a fixed order, so paging is stable). */
export async function listCameraEvents(d: Db, q: EventListing): Promise<IndexedEvent[]> {
  return d
    .select({ serial: cameraEvents.serial, id: cameraEvents.id, kind: cameraEvents.kind, startedAt: cameraEvents.startedAt })
    .from(cameraEvents)
    .innerJoin(deviceAccess, and(eq(deviceAccess.serial, cameraEvents.serial), eq(deviceAccess.userId, q.userId), inArray(deviceAccess.role, EVENT_ROLES)))
    .innerJoin(owner, and(eq(owner.serial, cameraEvents.serial), eq(owner.role, "owner")))
    .where(
      and(
        lt(cameraEvents.startedAt, q.before),
        gte(cameraEvents.receivedAt, q.keptSince),
        sql`${cameraEvents.receivedAt} >= ${owner.createdAt}`,
        q.serial !== undefined ? eq(cameraEvents.serial, q.serial) : undefined,
      ),
    )
    .orderBy(desc(cameraEvents.startedAt), cameraEvents.serial, cameraEvents.id)
    .limit(q.limit)
    .all();
}

/**
 * The latest event's start (Unix ms) per camera, for the camera list; only the cameras the
 * caller may see events of, and only events since the owner's claim (as listCameraEvents).
 */
export async function latestEventAt(d: Db, userId: string, keptSince: number): Promise<Map<string, number>> {
  const rows = await d
    .select({ serial: cameraEvents.serial, at: max(cameraEvents.startedAt) })
    .from(cameraEvents)
    .innerJoin(deviceAccess, and(eq(deviceAccess.serial, cameraEvents.serial), eq(deviceAccess.userId, userId), inArray(deviceAccess.role, EVENT_ROLES)))
    .innerJoin(owner, and(eq(owner.serial, cameraEvents.serial), eq(owner.role, "owner")))
    .where(and(gte(cameraEvents.receivedAt, keptSince), sql`${cameraEvents.receivedAt} >= ${owner.createdAt}`))
    .groupBy(cameraEvents.serial)
    .all();
  return new Map(rows.flatMap((r) => (r.at === null ? [] : [[r.serial, r.at]])));
}

/** Forgets a camera's events (it was released: the next owner starts without them). */
export function forgetCameraEvents(d: Db, serial: string) {
  return d.delete(cameraEvents).where(eq(cameraEvents.serial, serial));
}
