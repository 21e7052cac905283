// Why: a vendor, authenticated by a short-lived JWT signed with its key, creates its cameras
// (and can revoke them). The access code is returned once; only its hash is kept.
import { Hono } from "hono";
import { CreateDeviceRequestSchema, SerialSchema, type CreateDeviceResponse } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { generateAccessCode, hashAccessCode } from "../auth/access-code.ts";
import { requireVendor } from "../auth/middleware.ts";
import { findDevice, insertDevice } from "../db/devices.ts";
import type { VendorRow } from "../db/schema.ts";
import { PortholeError } from "../errors.ts";
import { hubFor } from "../hub/hub-request.ts";
import { log } from "../log.ts";
import { readBody } from "./read-body.ts";

type VendorEnv = AppEnv & { Variables: { vendor: VendorRow } };

export const vendorRoutes = new Hono<VendorEnv>();
vendorRoutes.use("*", requireVendor);

vendorRoutes.post("/devices", async (c) => {
  const vendor = c.var.vendor;
  const body = await readBody(c, CreateDeviceRequestSchema);
  const accessCode = generateAccessCode();
  const inserted = await insertDevice(c.var.db, {
    serial: body.serial,
    vendorId: vendor.id,
    name: body.name ?? body.serial,
    accessCodeHash: await hashAccessCode(accessCode),
    createdAt: new Date(),
  });
  if (!inserted) throw PortholeError.conflict(`A camera with serial ${body.serial} already exists.`);
  log({ event: "device_created", serial: body.serial, vendorId: vendor.id });
  return c.json({ serial: body.serial, vendorId: vendor.id, accessCode } satisfies CreateDeviceResponse, 201);
});

/** Revokes one of the vendor's cameras: its token stops working and any live socket is cut. */
vendorRoutes.post("/devices/:serial/revoke", async (c) => {
  const serial = c.req.param("serial");
  const device = SerialSchema.safeParse(serial).success ? await findDevice(c.var.db, serial) : undefined;
  // Another vendor's camera looks the same as a missing one.
  if (!device || device.vendorId !== c.var.vendor.id) throw PortholeError.deviceNotFound(serial);
  await hubFor(c.env, serial).revoke(serial);
  return c.json({ serial, revoked: true });
});
