// Why: the PWA's side of push notifications (issue 13): the VAPID public key for
// PushManager.subscribe (RFC 8292 §3.2 applicationServerKey), storing and removing this browser's
// subscription (RFC 8030 endpoint, RFC 8291 keys) with its quiet hours, and the per-camera
// on/off switch. Without VAPID_PRIVATE_JWK push is off: push_disabled (503), nothing stored.
import { Hono } from "hono";
import {
  PUSH_SUBSCRIPTIONS_PER_ACCOUNT,
  PushCameraSettingSchema,
  PushSubscribeRequestSchema,
  PushUnsubscribeRequestSchema,
  type PushCameraSetting,
  type VapidKeyAnswer,
} from "../../../protocol/index.ts";
import { requireRole } from "../auth/camera-access.ts";
import { requireUser, type UserEnv } from "../auth/require-user.ts";
import { deletePushSubscription, pushCameraOn, setPushCamera, upsertPushSubscription } from "../db/push-subscriptions.ts";
import { PortholeError } from "../errors.ts";
import { checkPushEndpoint } from "../push/push-endpoint.ts";
import { isTimeZone, quietColumns } from "../push/quiet-hours.ts";
import { vapidKeys } from "../push/vapid.ts";
import { newSessionId } from "../random.ts";
import { readBody } from "./read-body.ts";

type PushVars = { VAPID_PRIVATE_JWK?: string; VAPID_SUBJECT?: string; PUSH_TEST_ORIGIN?: string };

export const pushRoutes = new Hono<UserEnv>();

function pushEnv(env: Env): PushVars {
  return env as Env & PushVars;
}

async function requireVapid(env: Env) {
  const keys = vapidKeys(pushEnv(env));
  if (!keys) throw new PortholeError("push_disabled");
  return keys;
}

pushRoutes.get("/vapid-key", async (c) => {
  const { publicKey } = await requireVapid(c.env);
  c.header("cache-control", "no-store");
  return c.json({ publicKey } satisfies VapidKeyAnswer);
});

pushRoutes.post("/subscriptions", requireUser, async (c) => {
  await requireVapid(c.env);
  const body = await readBody(c, PushSubscribeRequestSchema);
  checkPushEndpoint(body.endpoint, pushEnv(c.env));
  if (!isTimeZone(body.timeZone)) throw PortholeError.badRequest("timeZone: unknown time zone");
  const id = await upsertPushSubscription(
    c.var.db,
    {
      id: newSessionId(),
      userId: c.var.user.id,
      endpoint: body.endpoint,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
      timeZone: body.timeZone,
      ...quietColumns(body.quietHours),
      now: new Date(),
    },
    PUSH_SUBSCRIPTIONS_PER_ACCOUNT,
  );
  if (!id) throw new PortholeError("push_subscription_limit", `An account may have ${PUSH_SUBSCRIPTIONS_PER_ACCOUNT} push subscriptions.`);
  return c.json({ id }, 201);
});

pushRoutes.delete("/subscriptions", requireUser, async (c) => {
  const { endpoint } = await readBody(c, PushUnsubscribeRequestSchema);
  const removed = await deletePushSubscription(c.var.db, c.var.user.id, endpoint);
  return c.json({ removed });
});

pushRoutes.get("/cameras/:serial", requireUser, async (c) => {
  const serial = c.req.param("serial");
  await requireRole(c.var.db, serial, c.var.user.id);
  c.header("cache-control", "no-store");
  return c.json({ on: await pushCameraOn(c.var.db, c.var.user.id, serial) } satisfies PushCameraSetting);
});

pushRoutes.put("/cameras/:serial", requireUser, async (c) => {
  const serial = c.req.param("serial");
  await requireRole(c.var.db, serial, c.var.user.id);
  const { on } = await readBody(c, PushCameraSettingSchema);
  await setPushCamera(c.var.db, c.var.user.id, serial, on, new Date());
  return c.json({ on } satisfies PushCameraSetting);
});
