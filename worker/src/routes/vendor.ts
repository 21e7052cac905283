// Why: a vendor, authenticated by a short-lived JWT signed with its key, creates its cameras,
// revokes them or retires their old tokens, and rotates its own signing key. The access code
// is returned once; only its hash is kept.
import { Hono, type Context } from "hono";
import {
  CreateDeviceRequestSchema,
  RotateVendorKeyRequestSchema,
  SerialSchema,
  type CreateDeviceResponse,
  type RotateVendorKeyResponse,
  type TokenVersionResponse,
} from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { generateAccessCode, hashAccessCode } from "../auth/access-code.ts";
import { requireVendor } from "../auth/middleware.ts";
import { parseVendorPublicJwk } from "../auth/vendor-key.ts";
import { bumpTokenVersion, findDevice, insertDevice } from "../db/devices.ts";
import { allVendorKeys, rotateVendorKey } from "../db/vendor-keys.ts";
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

/** One of this vendor's cameras; another vendor's camera looks the same as a missing one. */
async function ownCamera(c: Context<VendorEnv>, serial: string) {
  const device = SerialSchema.safeParse(serial).success ? await findDevice(c.var.db, serial) : undefined;
  if (!device || device.vendorId !== c.var.vendor.id) throw PortholeError.deviceNotFound(serial);
  return device;
}

/** Revokes one of the vendor's cameras: its token stops working and any live socket is cut. */
vendorRoutes.post("/devices/:serial/revoke", async (c) => {
  const serial = c.req.param("serial");
  await ownCamera(c, serial);
  await hubFor(c.env, serial).revoke(serial);
  return c.json({ serial, revoked: true });
});

/**
 * Retires every device token minted so far (re-provisioning, a leaked token): the version goes
 * up, tokens must carry the new `ver`, and the socket the old token opened is closed now
 * (device_token_invalid, 4401) rather than living on until it drops.
 */
vendorRoutes.post("/devices/:serial/token-version", async (c) => {
  const serial = c.req.param("serial");
  await ownCamera(c, serial);
  const tokenVersion = await bumpTokenVersion(c.var.db, serial);
  if (tokenVersion === undefined) throw PortholeError.deviceNotFound(serial);
  await hubFor(c.env, serial).cutDevice(serial, "device_token_invalid");
  log({ event: "device_token_version_bumped", serial, vendorId: c.var.vendor.id, tokenVersion });
  return c.json({ serial, tokenVersion } satisfies TokenVersionResponse);
});

const DEFAULT_PREVIOUS_KEY_DAYS = 30;

/**
 * Registers the vendor's next signing key (the request is signed with a current one). The
 * previous key keeps verifying until `previousKeyValidUntil` (default 30 days), so cameras can
 * be given tokens signed with the new key first; a date in the past retires it at once.
 */
vendorRoutes.post("/keys", async (c) => {
  const vendor = c.var.vendor;
  const body = await readBody(c, RotateVendorKeyRequestSchema);
  const key = await parseVendorPublicJwk(body.publicJwk);
  const publicJwk = JSON.stringify(key.jwk);
  const existing = await allVendorKeys(c.var.db, vendor.id);
  if (existing.some((k) => k.publicJwk === publicJwk)) throw PortholeError.conflict("This key is already registered for the vendor.");
  const now = new Date();
  const until = body.previousKeyValidUntil ? new Date(body.previousKeyValidUntil) : new Date(now.getTime() + DEFAULT_PREVIOUS_KEY_DAYS * 86_400_000);
  const hadCurrent = existing.some((k) => k.validUntil === null);
  const kid = `${vendor.id}-k${existing.length + 1}`;
  try {
    await rotateVendorKey(c.var.db, { kid, vendorId: vendor.id, publicJwk, alg: key.alg, createdAt: now, validUntil: null }, until);
  } catch (cause) {
    // Two rotations raced for the same kid; the loser retries with a fresh token.
    throw new PortholeError("conflict", "Another key rotation for this vendor is in progress; try again.", { cause });
  }
  log({ event: "vendor_key_rotated", vendorId: vendor.id, kid, previousKeyValidUntil: hadCurrent ? until.toISOString() : null });
  return c.json({ kid, previousKeyValidUntil: hadCurrent ? until.toISOString() : null } satisfies RotateVendorKeyResponse, 201);
});
