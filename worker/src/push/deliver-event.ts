// Why: a camera reported an event: every account that has the camera and wants notifications
// for it gets one on each of its browsers, unless that browser is in its quiet hours or was sent
// to moments ago; subscriptions the push service calls gone (RFC 8030 §7.3: 404/410) are pruned.
// Run by the DeviceHub in the background (ctx.waitUntil) after the camera-level window passed.
import { db } from "../db/client.ts";
import { claimPushSend, prunePushSubscription, pushRecipients } from "../db/push-subscriptions.ts";
import { log } from "../log.ts";
import { encodePushPayload, pushPayload } from "./push-payload.ts";
import { isQuietNow } from "./quiet-hours.ts";
import { sendPush } from "./send-push.ts";
import { vapidKeys } from "./vapid.ts";

/** One browser gets at most one notification per this interval, whichever cameras fire. */
export const SUBSCRIPTION_PUSH_INTERVAL_MS = 10_000;

export interface PushEnv {
  DB: D1Database;
  VAPID_PRIVATE_JWK?: string;
  VAPID_SUBJECT?: string;
}

export interface DeliveryReport {
  recipients: number;
  sent: number;
  quiet: number;
  limited: number;
  gone: number;
  failed: number;
}

export async function deliverCameraEvent(
  env: PushEnv,
  event: { serial: string; eventId: string; startedAt: string; more: number },
  now = Date.now(),
  fetcher: typeof fetch = fetch,
): Promise<DeliveryReport | undefined> {
  const keys = vapidKeys(env);
  if (!keys) return undefined;
  const vapid = await keys;
  const d = db(env.DB);
  const recipients = await pushRecipients(d, event.serial);
  const report: DeliveryReport = { recipients: recipients.length, sent: 0, quiet: 0, limited: 0, gone: 0, failed: 0 };
  await Promise.all(
    recipients.map(async (r) => {
      if (isQuietNow(now, r.timeZone, r.quietStart, r.quietEnd)) return void report.quiet++;
      if (!(await claimPushSend(d, r.id, now, SUBSCRIPTION_PUSH_INTERVAL_MS))) return void report.limited++;
      const payload = encodePushPayload(pushPayload({ serial: event.serial, cameraName: r.cameraName, eventId: event.eventId, startedAt: event.startedAt }, event.more));
      const outcome = await sendPush(vapid, r, payload, fetcher);
      if (outcome.result === "sent") report.sent++;
      else if (outcome.result === "gone") {
        report.gone++;
        await prunePushSubscription(d, r.id);
      } else {
        report.failed++;
        log({ event: "push_failed", serial: event.serial, host: new URL(r.endpoint).host, status: outcome.status, detail: outcome.detail });
      }
    }),
  );
  log({ event: "push_delivered", serial: event.serial, eventId: event.eventId, more: event.more, ...report });
  return report;
}
