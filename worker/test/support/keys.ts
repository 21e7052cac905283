// Why: vendors sign device tokens and API calls with their own keys; tests mint those keys and
// tokens here (jose runs inside workerd), including deliberately bad ones.
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";
import { DEVICE_TOKEN_AUDIENCE, VENDOR_API_AUDIENCE, type VendorAlgorithm } from "../../../protocol/index.ts";

export interface VendorKeys {
  alg: VendorAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function generateVendorKeys(alg: VendorAlgorithm = "ES256"): Promise<VendorKeys> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, privateKey, publicJwk: await exportJWK(publicKey) };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Signs `payload` with the vendor key; `exp` defaults to five minutes from now. */
export async function signWith(keys: VendorKeys, payload: JWTPayload): Promise<string> {
  return new SignJWT({ exp: nowSeconds() + 300, ...payload }).setProtectedHeader({ alg: keys.alg, typ: "JWT" }).sign(keys.privateKey);
}

/** A device token as a vendor would mint it (aud porthole-device, iss vendor, sub serial). */
export function deviceToken(keys: VendorKeys, vendorId: string, serial: string, extra: JWTPayload = {}): Promise<string> {
  return signWith(keys, { aud: DEVICE_TOKEN_AUDIENCE, iss: vendorId, sub: serial, iat: nowSeconds(), ...extra });
}

/** A short-lived vendor API token (aud porthole-vendor-api, iss vendor). */
export function vendorApiToken(keys: VendorKeys, vendorId: string, extra: JWTPayload = {}): Promise<string> {
  return signWith(keys, { aud: VENDOR_API_AUDIENCE, iss: vendorId, iat: nowSeconds(), ...extra });
}

/** An `alg: none` token (RFC 7519 §6) carrying the given claims. */
export function unsignedToken(payload: JWTPayload): string {
  return new UnsecuredJWT({ exp: nowSeconds() + 300, ...payload }).encode();
}

/** An HS256 token keyed with `secret` (e.g. the vendor's public JWK text: the classic confusion). */
export function hs256Token(payload: JWTPayload, secret: string): Promise<string> {
  return new SignJWT({ exp: nowSeconds() + 300, ...payload })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(secret));
}
