// Why: whether a camera is online is public (it reveals no secret) so the PWA can show it
// before asking for the access code. Rate limited per client address (auth/presence-throttle.ts)
// so nobody scrapes it at full speed.
import { Hono } from "hono";
import { SerialSchema, type DevicePresence } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { clientIp } from "../auth/client-ip.ts";
import { throttlePresence } from "../auth/presence-throttle.ts";
import { findDeviceWithVendor } from "../db/devices.ts";
import { PortholeError } from "../errors.ts";
import { hubFor } from "../hub/hub-request.ts";

export const deviceRoutes = new Hono<AppEnv>();

deviceRoutes.get("/:serial", async (c) => {
  const serial = c.req.param("serial");
  await throttlePresence(c.env.PRESENCE_LIMITER, clientIp(c));
  const row = SerialSchema.safeParse(serial).success ? await findDeviceWithVendor(c.var.db, serial) : undefined;
  if (!row) throw PortholeError.deviceNotFound(serial);
  const { online, viewers } = await hubFor(c.env, serial).presence();
  const lastSeen = online ? new Date() : row.device.lastSeenAt;
  c.header("cache-control", "no-store");
  return c.json({
    serial,
    name: row.device.name,
    vendor: row.vendorName,
    online,
    lastSeenAt: lastSeen ? lastSeen.toISOString() : null,
    viewers,
  } satisfies DevicePresence);
});
