// Why: the two JWTs a vendor signs — a device credential that the camera keeps, and a
// minutes-long API token for calling the edge — with the audiences the edge enforces.
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { DEVICE_TOKEN_AUDIENCE, VENDOR_API_AUDIENCE } from "../../protocol/index.ts";
import { kidOf, type VendorKey } from "./vendor-key.ts";

/** Vendor API tokens live 5 minutes (the edge refuses any that lives longer than 10). */
const VENDOR_API_TOKEN_SECONDS = 5 * 60;

export async function mintVendorApiToken(key: VendorKey, vendorId: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, typ: "JWT", kid: kidOf(key, vendorId) })
    .setIssuer(vendorId)
    .setAudience(VENDOR_API_AUDIENCE)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + VENDOR_API_TOKEN_SECONDS)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

export interface DeviceToken {
  token: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/**
 * The camera's credential: iss = vendor id, sub = serial, aud = porthole-device, ver = the
 * camera's token version on the edge (a token with an older ver is refused), kid in the header.
 */
export async function mintDeviceToken(
  key: VendorKey,
  vendorId: string,
  serial: string,
  lifetimeDays: number,
  tokenVersion = 1,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<DeviceToken> {
  const expiresAt = nowSeconds + Math.round(lifetimeDays * 86_400);
  const token = await new SignJWT({ ver: tokenVersion })
    .setProtectedHeader({ alg: key.alg, typ: "JWT", kid: kidOf(key, vendorId) })
    .setIssuer(vendorId)
    .setSubject(serial)
    .setAudience(DEVICE_TOKEN_AUDIENCE)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .sign(key.privateKey);
  return { token, expiresAt };
}
