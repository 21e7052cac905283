// Why: a local stand-in for a browser's push service (RFC 8030), on 127.0.0.1, so the edge's
// whole delivery path is tested without any real push service. It plays both the push service
// and the browser behind it: it makes subscriptions with its own P-256 keys and auth secret
// (as PushManager.subscribe would), checks each request's VAPID authorization (RFC 8292: the JWT
// verifies with the `k` key, `aud` is this origin, `exp` within 24 h, `sub` a mailto:/https: URI)
// and decrypts the RFC 8291 aes128gcm body with the subscription's private key — Node's own
// crypto (ECDH, HKDF, AES-128-GCM), a second implementation next to the edge's WebCrypto one.
import { createDecipheriv, createECDH, hkdfSync, randomBytes, type ECDH } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { importJWK, jwtVerify } from "jose";

export interface StandInSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  ecdh: ECDH;
  /** Answer 410 Gone (the browser unsubscribed). */
  gone: boolean;
  /** Requests answered 410 because `gone`. */
  goneHits: number;
}

export interface ReceivedPush {
  subscriptionId: string;
  /** The decrypted payload, or the reason the request was refused. */
  plaintext: string | null;
  error: string | null;
  headers: Record<string, string | undefined>;
  vapid: { aud?: unknown; exp?: unknown; sub?: unknown } | null;
  receivedAt: number;
}

export interface StandInPushService {
  origin: string;
  subscribe(): StandInSubscription;
  received: ReceivedPush[];
  /** Resolves with the next push for `subscriptionId` (or rejects after `timeoutMs`). */
  next(subscriptionId: string, timeoutMs: number): Promise<ReceivedPush>;
  close(): Promise<void>;
}

const b64u = (b: Buffer | Uint8Array) => Buffer.from(b).toString("base64url");

/** RFC 8291 §3 + RFC 8188 §2: the plaintext of a single-record aes128gcm body. */
export function decryptAes128gcm(body: Buffer, ecdh: ECDH, authSecret: Buffer): string {
  if (body.length < 21 + 65 + 17) throw new Error(`body too short (${body.length} bytes)`);
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20] ?? 0;
  const asPublic = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  if (idlen !== 65) throw new Error(`keyid is ${idlen} bytes, not a P-256 point`);
  if (record.length > rs) throw new Error("more than one record");
  const shared = ecdh.computeSecret(asPublic);
  const uaPublic = ecdh.getPublicKey();
  const info = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, authSecret, info, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("last record delimiter is not 0x02");
  return padded.subarray(0, end).toString("utf8");
}

/** RFC 8292 §3: `vapid t=<jwt>, k=<key>`, verified; returns the claims or throws why not. */
export async function checkVapid(authorization: string | undefined, origin: string, nowSeconds = Math.floor(Date.now() / 1000)) {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(authorization ?? "");
  if (!m) throw new Error(`no vapid authorization: ${String(authorization).slice(0, 40)}`);
  const raw = Buffer.from(m[2] as string, "base64url");
  if (raw.length !== 65 || raw[0] !== 4) throw new Error("k is not an uncompressed P-256 point");
  const key = await importJWK({ kty: "EC", crv: "P-256", x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33)) }, "ES256");
  const { payload } = await jwtVerify(m[1] as string, key, { audience: origin, algorithms: ["ES256"], currentDate: new Date(nowSeconds * 1000) });
  if (typeof payload.exp !== "number" || payload.exp - nowSeconds > 24 * 3600) throw new Error(`exp more than 24 h ahead: ${payload.exp}`);
  if (typeof payload.sub !== "string" || !/^(mailto:|https:)/.test(payload.sub)) throw new Error(`sub is not mailto:/https: (${String(payload.sub)})`);
  return { aud: payload.aud, exp: payload.exp, sub: payload.sub, k: m[2] as string };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startPushService(): Promise<StandInPushService> {
  const subs = new Map<string, StandInSubscription>();
  const received: ReceivedPush[] = [];
  const waiters: Array<{ id: string; resolve: (p: ReceivedPush) => void }> = [];
  let origin = "";
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const m = /^\/push\/([\w-]+)$/.exec(req.url ?? "");
      const sub = m ? subs.get(m[1] as string) : undefined;
      if (req.method !== "POST" || !sub) return void res.writeHead(404).end();
      if (sub.gone) {
        sub.goneHits++;
        return void res.writeHead(410).end();
      }
      const headers = {
        "content-encoding": req.headers["content-encoding"],
        ttl: req.headers.ttl as string | undefined,
        urgency: req.headers.urgency as string | undefined,
        authorization: req.headers.authorization,
      };
      const push: ReceivedPush = { subscriptionId: sub.id, plaintext: null, error: null, headers, vapid: null, receivedAt: Date.now() };
      let status = 201;
      try {
        push.vapid = await checkVapid(req.headers.authorization, origin);
        if (headers["content-encoding"] !== "aes128gcm") throw new Error(`content-encoding ${headers["content-encoding"]}`);
        if (!/^\d+$/.test(headers.ttl ?? "")) throw new Error("no TTL header (RFC 8030 §5.2)");
        push.plaintext = decryptAes128gcm(body, sub.ecdh, Buffer.from(sub.keys.auth, "base64url"));
      } catch (err) {
        push.error = String(err);
        status = push.vapid ? 400 : 403;
      }
      received.push(push);
      for (const w of waiters.splice(0)) {
        if (w.id === sub.id) w.resolve(push);
        else waiters.push(w);
      }
      res.writeHead(status, status === 201 ? { location: `${origin}/message/${received.length}` } : {}).end();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    subscribe() {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const id = randomBytes(9).toString("base64url");
      const sub = { id, endpoint: `${origin}/push/${id}`, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(randomBytes(16)) }, ecdh, gone: false, goneHits: 0 };
      subs.set(id, sub);
      return sub;
    },
    next(subscriptionId, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no push for ${subscriptionId} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ id: subscriptionId, resolve: (p) => (clearTimeout(timer), resolve(p)) });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
