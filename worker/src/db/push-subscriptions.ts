// Why: Web Push subscriptions and per-camera notification choices in D1 (schema.ts). The cap per
// account and the per-subscription rate limit are single conditional statements, so parallel
// requests or hubs cannot both slip past them.
import { and, eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { pushCameras, pushSubscriptions } from "./schema.ts";

/** Where a push goes and when it may: what a subscription row holds besides its owner. */
interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
  timeZone: string;
  quietStart: number | null;
  quietEnd: number | null;
}

export interface NewPushSubscription extends PushTarget {
  id: string;
  userId: string;
  now: Date;
}

/**
 * Stores the browser's subscription for the account (the same endpoint again updates its keys and
 * quiet hours, and moves it to this account: one browser, whoever signed in last). Returns its id,
 * or undefined when the account already has `cap` other subscriptions.
 */
export async function upsertPushSubscription(d: Db, s: NewPushSubscription, cap: number): Promise<string | undefined> {
  const row = await d.$client
    .prepare(
      `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, time_zone, quiet_start, quiet_end, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
       WHERE (SELECT count(*) FROM push_subscriptions WHERE user_id = ?2 AND endpoint <> ?3) < ?10
       ON CONFLICT(endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
         time_zone = excluded.time_zone, quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end
       RETURNING id`,
    )
    .bind(s.id, s.userId, s.endpoint, s.p256dh, s.auth, s.timeZone, s.quietStart, s.quietEnd, s.now.getTime(), cap)
    .first<{ id: string }>();
  return row?.id;
}

/** This account's subscription for `endpoint` (none: undefined). */
export async function pushSubscriptionOf(d: Db, userId: string, endpoint: string) {
  return d.select().from(pushSubscriptions).where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint))).get();
}

export async function deletePushSubscription(d: Db, userId: string, endpoint: string): Promise<boolean> {
  const res = await d.delete(pushSubscriptions).where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint))).run();
  return res.meta.changes === 1;
}

/** Sign out everywhere: none of the account's browsers gets its notifications any more. */
export async function deleteAllPushSubscriptions(d: Db, userId: string): Promise<void> {
  await d.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId)).run();
}

/** The push service said the subscription is gone (404/410): forget it. */
export async function prunePushSubscription(d: Db, id: string): Promise<void> {
  await d.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id)).run();
}

export async function pushCameraOn(d: Db, userId: string, serial: string): Promise<boolean> {
  const row = await d.select({ serial: pushCameras.serial }).from(pushCameras).where(and(eq(pushCameras.userId, userId), eq(pushCameras.serial, serial))).get();
  return row !== undefined;
}

export async function setPushCamera(d: Db, userId: string, serial: string, on: boolean, now: Date): Promise<void> {
  if (on) await d.insert(pushCameras).values({ userId, serial, createdAt: now }).onConflictDoNothing().run();
  else await d.delete(pushCameras).where(and(eq(pushCameras.userId, userId), eq(pushCameras.serial, serial))).run();
}

export interface PushRecipient extends PushTarget {
  id: string;
  cameraName: string;
}

/**
 * Every subscription of every account that has the camera (owner or share, still) and has
 * notifications on for it. A share taken back stops them at once (the join on device_access).
 */
export async function pushRecipients(d: Db, serial: string): Promise<PushRecipient[]> {
  const { results } = await d.$client
    .prepare(
      `SELECT s.id AS id, s.endpoint AS endpoint, s.p256dh AS p256dh, s.auth AS auth, s.time_zone AS timeZone,
              s.quiet_start AS quietStart, s.quiet_end AS quietEnd, dv.name AS cameraName
       FROM push_cameras pc
       JOIN device_access da ON da.serial = pc.serial AND da.user_id = pc.user_id
       JOIN push_subscriptions s ON s.user_id = pc.user_id
       JOIN devices dv ON dv.serial = pc.serial
       WHERE pc.serial = ?1`,
    )
    .bind(serial)
    .all<PushRecipient>();
  return results;
}

/**
 * The per-subscription rate limit: marks the subscription sent at `now` unless it was sent to
 * less than `minIntervalMs` ago (then false: skip it). One statement, so two hubs cannot both pass.
 */
export async function claimPushSend(d: Db, id: string, now: number, minIntervalMs: number): Promise<boolean> {
  const res = await d.$client
    .prepare("UPDATE push_subscriptions SET last_sent_at = ?1 WHERE id = ?2 AND (last_sent_at IS NULL OR last_sent_at <= ?3)")
    .bind(now, id, now - minIntervalMs)
    .run();
  return res.meta.changes === 1;
}
