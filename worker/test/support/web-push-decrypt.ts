// Why: the browser's half of RFC 8291 for tests — a subscription's own P-256 key pair and auth
// secret, and decryption of an RFC 8188 aes128gcm body with WebCrypto's native HKDF (not the
// edge's HMAC-built one), so a test checks the edge's encryption against a second implementation.
import { base64url, fromBase64url } from "../../src/random.ts";

export interface TestSubscriber {
  p256dh: string;
  auth: string;
  privateKey: CryptoKey;
}

export async function newSubscriber(): Promise<TestSubscriber> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  return { p256dh: base64url(raw), auth: base64url(crypto.getRandomValues(new Uint8Array(16))), privateKey: pair.privateKey };
}

async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", ikm as BufferSource, "HKDF", false, ["deriveBits"]);
  const params = { name: "HKDF", hash: "SHA-256", salt, info } as unknown as Parameters<SubtleCrypto["deriveBits"]>[0];
  return new Uint8Array(await crypto.subtle.deriveBits(params, key, bytes * 8));
}

/** The plaintext of an aes128gcm push body sent to `s` (throws when it does not decrypt). */
export async function decryptPushBody(s: TestSubscriber, body: Uint8Array): Promise<string> {
  const salt = body.slice(0, 16);
  const rs = new DataView(body.buffer, body.byteOffset).getUint32(16);
  const idlen = body[20] ?? 0;
  const asPublic = body.slice(21, 21 + idlen);
  const record = body.slice(21 + idlen);
  if (record.length > rs) throw new Error("more than one record");
  const asKey = await crypto.subtle.importKey("raw", asPublic as BufferSource, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const ecdh = { name: "ECDH", public: asKey } as unknown as Parameters<SubtleCrypto["deriveBits"]>[0];
  const shared = new Uint8Array(await crypto.subtle.deriveBits(ecdh, s.privateKey, 256));
  const te = new TextEncoder();
  const uaPublic = fromBase64url(s.p256dh);
  const info = new Uint8Array([...te.encode("WebPush: info\0"), ...uaPublic, ...asPublic]);
  const ikm = await hkdf(fromBase64url(s.auth), shared, info, 32);
  const cek = await hkdf(salt, ikm, te.encode("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, te.encode("Content-Encoding: nonce\0"), 12);
  const key = await crypto.subtle.importKey("raw", cek as BufferSource, "AES-GCM", false, ["decrypt"]);
  const padded = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: nonce as BufferSource }, key, record as BufferSource));
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("the last record's delimiter is not 0x02");
  return new TextDecoder().decode(padded.slice(0, end));
}
