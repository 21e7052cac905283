// Why: RFC 8292 (VAPID) lets a push service know which application server sends to a
// subscription: the subscription was made with our public key (applicationServerKey), and each
// request carries a short ES256 JWT (RFC 7515/7519, via jose) signed with its private key —
// `aud` the push service's origin, `exp` at most 24 h ahead, `sub` a contact — in
// `Authorization: vapid t=<jwt>, k=<public key>` (§3). The key is the VAPID_PRIVATE_JWK secret.
import { importJWK, SignJWT, type CryptoKey, type JWK } from "jose";
import { fromBase64url, base64url } from "../random.ts";

/** RFC 8292 §2: a push service refuses an `exp` more than 24 h ahead; we ask for 12 h. */
export const VAPID_TTL_SECONDS = 12 * 60 * 60;

export interface VapidKeys {
  privateKey: CryptoKey;
  /** The public key as the browser's applicationServerKey wants it: 65 raw bytes, base64url. */
  publicKey: string;
  /** The `sub` claim: a mailto: or https: contact for the push service's operator. */
  subject: string;
}

let cache: { raw: string; subject: string; keys: Promise<VapidKeys> } | undefined;

async function loadKeys(raw: string, subject: string): Promise<VapidKeys> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(raw) as JWK;
  } catch {
    throw new Error("VAPID_PRIVATE_JWK is not JSON");
  }
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || typeof jwk.d !== "string" || typeof jwk.x !== "string" || typeof jwk.y !== "string") {
    throw new Error("VAPID_PRIVATE_JWK must be a private EC P-256 JWK");
  }
  const publicRaw = new Uint8Array(65);
  publicRaw[0] = 4;
  publicRaw.set(fromBase64url(jwk.x), 1);
  publicRaw.set(fromBase64url(jwk.y), 33);
  const { key_ops: _ops, use: _use, ...priv } = jwk;
  return { privateKey: (await importJWK(priv, "ES256")) as CryptoKey, publicKey: base64url(publicRaw), subject };
}

/** RFC 8292 §2.1: `sub` is a mailto: or https: URI. Default: a placeholder the operator replaces. */
export function vapidSubject(env: { VAPID_SUBJECT?: string }): string {
  const subject = env.VAPID_SUBJECT?.trim() || "mailto:push@porthole.invalid";
  if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(subject)) throw new Error("VAPID_SUBJECT must be a mailto: or https: URI");
  return subject;
}

/** The VAPID keys, imported once per isolate; undefined when VAPID_PRIVATE_JWK is not set (push off). */
export function vapidKeys(env: { VAPID_PRIVATE_JWK?: string; VAPID_SUBJECT?: string }): Promise<VapidKeys> | undefined {
  const raw = env.VAPID_PRIVATE_JWK?.trim();
  if (!raw) return undefined;
  const subject = vapidSubject(env);
  if (cache?.raw !== raw || cache.subject !== subject) cache = { raw, subject, keys: loadKeys(raw, subject) };
  return cache.keys;
}

/** The `Authorization` header value for a request to `endpoint` (RFC 8292 §3), valid from `nowSeconds`. */
export async function vapidAuthorization(keys: VapidKeys, endpoint: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  const jwt = await new SignJWT({ sub: keys.subject })
    .setProtectedHeader({ typ: "JWT", alg: "ES256" })
    .setAudience(new URL(endpoint).origin)
    .setExpirationTime(nowSeconds + VAPID_TTL_SECONDS)
    .sign(keys.privateKey);
  return `vapid t=${jwt}, k=${keys.publicKey}`;
}
