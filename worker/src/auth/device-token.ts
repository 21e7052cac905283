// Why: a camera proves who it is with a JWT its vendor signed (iss = vendor id, sub = serial).
// The edge only ever checks it with that vendor's registered keys and their algorithms, and
// only the current token version counts (re-provisioning a camera kills its older tokens).
import { decodeJwt } from "jose";
import { DEVICE_TOKEN_AUDIENCE } from "../../../protocol/index.ts";
import type { Db } from "../db/client.ts";
import { findDevice } from "../db/devices.ts";
import { findVendorById } from "../db/vendors.ts";
import { PortholeError } from "../errors.ts";
import { fromJoseError } from "./jose-errors.ts";
import { verifyVendorSigned } from "./vendor-key.ts";

export interface DeviceIdentity {
  serial: string;
  vendorId: string;
}

const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Verifies a device token for the serial in the URL. Order matters: the signature is checked
 * before anything the token claims is trusted (so a forged token for another vendor is
 * `device_token_invalid`, not `device_serial_mismatch`).
 */
export async function verifyDeviceToken(d: Db, token: string, urlSerial: string): Promise<DeviceIdentity> {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch (err) {
    throw fromJoseError(err, { expired: "device_token_expired", invalid: "device_token_invalid" });
  }
  if (typeof iss !== "string" || iss.length > 128) {
    throw new PortholeError("device_token_invalid", "The device token has no issuer.");
  }
  const vendor = await findVendorById(d, iss);
  if (!vendor) throw new PortholeError("device_token_invalid", "The device token's issuer is not a registered vendor.");

  let sub: string | undefined;
  let ver: unknown;
  try {
    const payload = await verifyVendorSigned(
      d,
      token,
      vendor,
      { issuer: vendor.id, audience: DEVICE_TOKEN_AUDIENCE, requiredClaims: ["exp", "sub"], clockTolerance: CLOCK_TOLERANCE_SECONDS },
      "device_token_invalid",
    );
    sub = payload.sub;
    ver = payload.ver;
  } catch (err) {
    throw fromJoseError(err, { expired: "device_token_expired", invalid: "device_token_invalid" });
  }

  if (sub !== urlSerial) throw new PortholeError("device_serial_mismatch");
  const device = await findDevice(d, urlSerial);
  if (!device) throw PortholeError.deviceNotFound(urlSerial);
  if (device.vendorId !== vendor.id) {
    throw new PortholeError("device_serial_mismatch", "This serial belongs to another vendor.");
  }
  if (device.revoked) throw new PortholeError("device_revoked");
  if (!tokenVersionAccepted(ver, device.tokenVersion)) {
    throw new PortholeError("device_token_invalid", "This device token was superseded: the camera was given a newer one.");
  }
  return { serial: device.serial, vendorId: vendor.id };
}

/**
 * The token's `ver` must equal devices.token_version. Tokens minted before versions existed
 * carry no `ver`; they are accepted only while the camera is still at version 1, so the first
 * bump (POST /api/vendor/devices/:serial/token-version) retires them too.
 */
export function tokenVersionAccepted(ver: unknown, current: number): boolean {
  if (ver === undefined) return current === 1;
  return typeof ver === "number" && Number.isInteger(ver) && ver === current;
}
