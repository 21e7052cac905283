// Why: a push message crosses the push service (RFC 8030) encrypted end to end to the browser's
// subscription keys, so the service sees neither the camera's name nor the time. This is RFC 8291
// (Message Encryption for Web Push): an ephemeral ECDH P-256 key, the subscription's auth secret
// and HKDF-SHA-256 give the content key and nonce of one RFC 8188 "aes128gcm" record
// (AES-128-GCM). WebCrypto only: it runs in workerd and in Node alike.
import { base64url, fromBase64url } from "../random.ts";

/** The browser side of a subscription (PushSubscription.getKey): its public key and auth secret. */
export interface SubscriptionKeys {
  /** Uncompressed P-256 point (65 bytes), base64url. */
  p256dh: string;
  /** 16 random bytes, base64url. */
  auth: string;
}

/** Fixed inputs for the RFC 8291 §5 example; production leaves both out (fresh each message). */
export interface EncryptionInputs {
  salt?: Uint8Array;
  /** The application server's ephemeral ECDH key pair, private as JWK, public as 65 raw bytes. */
  serverKeys?: { privateJwk: JsonWebKey; publicRaw: Uint8Array };
}

/** RFC 8188 §2: the record size we declare; one record carries the whole (small) payload. */
export const RECORD_SIZE = 4096;
/** Largest plaintext we encrypt: one record (rs − 16 tag − 1 delimiter), and push services take 4 KiB. */
export const MAX_PLAINTEXT_BYTES = 3000;

const te = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function hmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", key as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, data as BufferSource));
}

/** HKDF-SHA-256 (RFC 5869) for outputs of at most one hash block, as RFC 8291 §3.3–3.4 write it. */
async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array> {
  const prk = await hmac(salt, ikm);
  return (await hmac(prk, concat(info, Uint8Array.of(1)))).slice(0, length);
}

/** A 65-byte uncompressed P-256 point as a public JWK (WebCrypto imports either; JWK is portable). */
export function publicJwkFromRaw(raw: Uint8Array): JsonWebKey {
  if (raw.length !== 65 || raw[0] !== 4) throw new Error("not an uncompressed P-256 point");
  return { kty: "EC", crv: "P-256", x: base64url(raw.slice(1, 33)), y: base64url(raw.slice(33, 65)), ext: true };
}

async function ephemeralKeys(): Promise<{ privateKey: CryptoKey; publicRaw: Uint8Array }> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicRaw: new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer) };
}

/**
 * The aes128gcm body (RFC 8188 §2.1 header: salt ‖ rs ‖ idlen ‖ keyid = the server's public key,
 * then one record) for `plaintext`, readable only with the subscription's private key and auth.
 */
export async function encryptPushPayload(plaintext: Uint8Array, keys: SubscriptionKeys, inputs: EncryptionInputs = {}): Promise<Uint8Array> {
  if (plaintext.length > MAX_PLAINTEXT_BYTES) throw new Error(`push payload over ${MAX_PLAINTEXT_BYTES} bytes`);
  const uaPublic = fromBase64url(keys.p256dh);
  const authSecret = fromBase64url(keys.auth);
  if (authSecret.length !== 16) throw new Error("auth secret must be 16 bytes");
  const uaKey = await crypto.subtle.importKey("jwk", publicJwkFromRaw(uaPublic), { name: "ECDH", namedCurve: "P-256" }, false, []);
  const server = inputs.serverKeys
    ? {
        privateKey: await crypto.subtle.importKey("jwk", inputs.serverKeys.privateJwk, { name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]),
        publicRaw: inputs.serverKeys.publicRaw,
      }
    : await ephemeralKeys();
  // workers-types spells the member `$public`; the runtime (and the WebCrypto spec) read `public`.
  const ecdh = { name: "ECDH", public: uaKey } as unknown as Parameters<SubtleCrypto["deriveBits"]>[0];
  const ecdhSecret = new Uint8Array(await crypto.subtle.deriveBits(ecdh, server.privateKey, 256));
  // RFC 8291 §3.4: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" ‖ 0 ‖ ua_public ‖ as_public, 32).
  const keyInfo = concat(te.encode("WebPush: info\0"), uaPublic, server.publicRaw);
  const ikm = await hkdf(authSecret, ecdhSecret, keyInfo, 32);
  const salt = inputs.salt ?? crypto.getRandomValues(new Uint8Array(16));
  // RFC 8188 §2.2–2.3: the content encryption key and the nonce (one record: sequence number 0).
  const cek = await hkdf(salt, ikm, te.encode("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, te.encode("Content-Encoding: nonce\0"), 12);
  const aes = await crypto.subtle.importKey("raw", cek as BufferSource, "AES-GCM", false, ["encrypt"]);
  // RFC 8188 §2: the last (only) record ends with the delimiter 0x02 and no padding.
  const record = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce as BufferSource, tagLength: 128 }, aes, concat(plaintext, Uint8Array.of(2)) as BufferSource));
  const header = new Uint8Array(16 + 4 + 1);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(16, RECORD_SIZE);
  header[20] = server.publicRaw.length;
  return concat(header, server.publicRaw, record);
}
