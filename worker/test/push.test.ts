// Push notifications in workerd (issue 13): the PWA's subscribe API with its limits, the
// per-camera switch, and delivery — who gets a notification for a camera event, encrypted to
// each subscription (decrypted here with a second implementation), signed with VAPID, and what
// happens when the push service says a subscription is gone.
import { env } from "cloudflare:workers";
import { decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { PUSH_SUBSCRIPTIONS_PER_ACCOUNT, PushPayloadSchema } from "../../protocol/index.ts";
import { app } from "../src/app.ts";
import { deliverCameraEvent } from "../src/push/deliver-event.ts";
import { base64url, fromBase64url } from "../src/random.ts";
import { api, claim, share, signUp, type TestUser } from "./support/accounts.ts";
import { errorOf } from "./support/http.ts";
import { provisionDevice } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";
import { decryptPushBody, newSubscriber, type TestSubscriber } from "./support/web-push-decrypt.ts";

afterEach(closeAllSockets);

let endpoints = 0;
function endpointFor(tag: string): string {
  return `https://push.example.net/wpush/${tag}-${++endpoints}-${Math.random().toString(36).slice(2)}`;
}

function subscribe(user: TestUser, endpoint: string, s: TestSubscriber, extra: Record<string, unknown> = {}): Promise<Response> {
  return api("POST", "/api/push/subscriptions", { cookie: user.cookie, body: { endpoint, keys: { p256dh: s.p256dh, auth: s.auth }, ...extra } });
}

async function notificationsFor(user: TestUser, serial: string, on: boolean): Promise<void> {
  const res = await api("PUT", `/api/push/cameras/${serial}`, { cookie: user.cookie, body: { on } });
  expect(res.status, await res.clone().text()).toBe(200);
}

interface Captured {
  endpoint: string;
  headers: Headers;
  body: Uint8Array;
}

/** A push service that records each request and answers `status(endpoint)`. */
function pushService(status: (endpoint: string) => number = () => 201): { fetcher: typeof fetch; requests: Captured[] } {
  const requests: Captured[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    requests.push({ endpoint: req.url, headers: req.headers, body: new Uint8Array(await req.arrayBuffer()) });
    return new Response(null, { status: status(req.url) });
  }) as typeof fetch;
  return { fetcher, requests };
}

async function vapidPublicKey(): Promise<string> {
  const res = await api("GET", "/api/push/vapid-key");
  expect(res.status).toBe(200);
  return ((await res.json()) as { publicKey: string }).publicKey;
}

describe("the PWA's push API", () => {
  it("serves the VAPID public key as an uncompressed P-256 point, and says push_disabled without the secret", async () => {
    expect(fromBase64url(await vapidPublicKey())).toHaveLength(65);
    const off = await app.request("/api/push/vapid-key", {}, { ...env, VAPID_PRIVATE_JWK: "" });
    expect(off.status).toBe(503);
    expect((await errorOf(off)).code).toBe("push_disabled");
    const user = await signUp();
    const s = await newSubscriber();
    const refused = await app.request(
      "/api/push/subscriptions",
      { method: "POST", headers: { cookie: user.cookie, "content-type": "application/json" }, body: JSON.stringify({ endpoint: endpointFor("off"), keys: { p256dh: s.p256dh, auth: s.auth } }) },
      { ...env, VAPID_PRIVATE_JWK: "" },
    );
    expect((await errorOf(refused)).code).toBe("push_disabled");
  });

  it("stores a signed-in browser's https subscription, refuses http endpoints and anyone signed out", async () => {
    const user = await signUp();
    const s = await newSubscriber();
    expect((await subscribe(user, endpointFor("ok"), s, { timeZone: "Europe/Paris", quietHours: { start: "22:00", end: "07:00" } })).status).toBe(201);
    expect((await errorOf(await subscribe(user, "http://push.example.net/wpush/1", s))).code).toBe("push_endpoint_invalid");
    expect((await errorOf(await subscribe(user, `https://push.example.net/${"x".repeat(1100)}`, s))).code).toBe("bad_request");
    expect((await errorOf(await subscribe(user, endpointFor("tz"), s, { timeZone: "Mars/Olympus" }))).code).toBe("bad_request");
    const anonymous = await api("POST", "/api/push/subscriptions", { body: { endpoint: endpointFor("anon"), keys: { p256dh: s.p256dh, auth: s.auth } } });
    expect((await errorOf(anonymous)).code).toBe("not_signed_in");
  });

  it(`caps an account at ${PUSH_SUBSCRIPTIONS_PER_ACCOUNT} subscriptions, while the same browser subscribing again is not counted twice`, async () => {
    const user = await signUp();
    const s = await newSubscriber();
    const first = endpointFor("cap");
    for (let i = 0; i < PUSH_SUBSCRIPTIONS_PER_ACCOUNT; i++) {
      expect((await subscribe(user, i === 0 ? first : endpointFor("cap"), s)).status).toBe(201);
    }
    expect((await errorOf(await subscribe(user, endpointFor("cap"), s))).code).toBe("push_subscription_limit");
    expect((await subscribe(user, first, s, { quietHours: { start: "23:00", end: "06:00" } })).status).toBe(201);
    const removed = await api("DELETE", "/api/push/subscriptions", { cookie: user.cookie, body: { endpoint: first } });
    expect(await removed.json()).toEqual({ removed: true });
    expect((await subscribe(user, endpointFor("cap"), s)).status).toBe(201);
  });

  it("switches a camera's notifications on and off for people who have it, and refuses others no_access", async () => {
    const device = await provisionDevice("ES256");
    const owner = await signUp();
    const stranger = await signUp();
    await claim(owner, device, "Porch");
    const read = async (u: TestUser) => (await (await api("GET", `/api/push/cameras/${device.serial}`, { cookie: u.cookie })).json()) as { on: boolean };
    expect(await read(owner)).toEqual({ on: false });
    await notificationsFor(owner, device.serial, true);
    expect(await read(owner)).toEqual({ on: true });
    await notificationsFor(owner, device.serial, false);
    expect(await read(owner)).toEqual({ on: false });
    expect((await errorOf(await api("PUT", `/api/push/cameras/${device.serial}`, { cookie: stranger.cookie, body: { on: true } }))).code).toBe("no_access");
  });
});

describe("delivering a camera event", () => {
  it("sends each subscription of each account with notifications on an encrypted, VAPID-signed push naming the camera and the time only", async () => {
    const device = await provisionDevice("ES256");
    const owner = await signUp();
    const viewer = await signUp();
    const muted = await signUp();
    const asleep = await signUp();
    await claim(owner, device, "Back garden");
    for (const u of [viewer, muted, asleep]) expect((await share(owner, device.serial, u, "viewer")).status).toBe(201);
    for (const u of [owner, viewer, asleep]) await notificationsFor(u, device.serial, true);

    const subs = new Map<string, TestSubscriber>();
    for (const [u, tag] of [[owner, "owner-phone"], [owner, "owner-laptop"], [viewer, "viewer"], [muted, "muted"]] as const) {
      const s = await newSubscriber();
      const endpoint = endpointFor(tag);
      subs.set(endpoint, s);
      expect((await subscribe(u, endpoint, s)).status).toBe(201);
    }
    // Quiet all day long, in its own zone.
    expect((await subscribe(asleep, endpointFor("asleep"), await newSubscriber(), { timeZone: "Asia/Tokyo", quietHours: { start: "00:00", end: "23:59" } })).status).toBe(201);

    const service = pushService();
    const startedAt = "2026-12-07T19:00:00.000Z";
    const report = await deliverCameraEvent(env, { serial: device.serial, eventId: "ev-garden-1", startedAt, more: 0 }, Date.parse("2026-12-07T19:00:01Z"), service.fetcher);
    expect(report).toEqual({ recipients: 4, sent: 3, quiet: 1, limited: 0, gone: 0, failed: 0 });
    expect(new Set(service.requests.map((r) => r.endpoint))).toEqual(new Set([...subs.keys()].filter((e) => !e.includes("muted"))));

    const vapid = fromBase64url(await vapidPublicKey());
    const vapidKey = await importJWK({ kty: "EC", crv: "P-256", x: base64url(vapid.slice(1, 33)), y: base64url(vapid.slice(33)) }, "ES256");
    for (const r of service.requests) {
      expect(r.headers.get("content-encoding")).toBe("aes128gcm");
      expect(Number(r.headers.get("ttl"))).toBeGreaterThan(0);
      expect(r.headers.get("urgency")).toBe("high");
      const m = /^vapid t=([^,]+), k=([\w-]+)$/.exec(r.headers.get("authorization") ?? "");
      expect(m?.[2]).toBe(base64url(vapid));
      const { payload } = await jwtVerify(m?.[1] ?? "", vapidKey, { audience: "https://push.example.net" });
      expect(decodeProtectedHeader(m?.[1] ?? "").alg).toBe("ES256");
      expect(payload.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(24 * 3600);
      expect(payload.sub).toBe("mailto:push-test@porthole.invalid");

      const text = await decryptPushBody(subs.get(r.endpoint)!, r.body);
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(body).toEqual({ v: 1, serial: device.serial, cameraName: "Back garden", eventId: "ev-garden-1", startedAt, more: 0 });
      // Names, time and ids only: nothing else fits the schema, and nothing like a picture is there.
      expect(PushPayloadSchema.safeParse(body).success).toBe(true);
      expect(text).not.toMatch(/jpe?g|image|thumbnail|data:/i);
    }
  });

  it("skips a subscription sent to moments ago, and forgets subscriptions the push service calls gone (404/410)", async () => {
    const device = await provisionDevice("ES256");
    const owner = await signUp();
    await claim(owner, device, "Hall");
    await notificationsFor(owner, device.serial, true);
    const gone = endpointFor("gone");
    const expired = endpointFor("expired");
    const alive = endpointFor("alive");
    for (const e of [gone, expired, alive]) expect((await subscribe(owner, e, await newSubscriber())).status).toBe(201);
    const service = pushService((e) => (e === gone ? 410 : e === expired ? 404 : 201));
    const t = Date.parse("2026-12-07T12:00:00Z");
    expect(await deliverCameraEvent(env, { serial: device.serial, eventId: "ev-1", startedAt: "2026-12-07T12:00:00Z", more: 0 }, t, service.fetcher)).toMatchObject({ sent: 1, gone: 2 });
    const { results } = await env.DB.prepare("SELECT endpoint FROM push_subscriptions WHERE user_id = ?").bind(owner.id).all<{ endpoint: string }>();
    expect(results.map((r) => r.endpoint)).toEqual([alive]);
    // Two seconds later (another camera, say): this browser was just notified.
    expect(await deliverCameraEvent(env, { serial: device.serial, eventId: "ev-2", startedAt: "2026-12-07T12:00:02Z", more: 0 }, t + 2000, service.fetcher)).toMatchObject({ sent: 0, limited: 1 });
  });

  it("forgets every subscription of an account that signs out everywhere", async () => {
    const device = await provisionDevice("ES256");
    const owner = await signUp();
    await claim(owner, device, "Loft");
    await notificationsFor(owner, device.serial, true);
    for (const tag of ["lost-phone", "laptop"]) expect((await subscribe(owner, endpointFor(tag), await newSubscriber())).status).toBe(201);
    expect((await api("POST", "/api/auth/logout-all", { cookie: owner.cookie, body: {} })).status).toBe(200);
    const service = pushService();
    expect(await deliverCameraEvent(env, { serial: device.serial, eventId: "ev-4", startedAt: "2026-12-07T12:00:00Z", more: 0 }, Date.now(), service.fetcher)).toMatchObject({ recipients: 0 });
  });

  it("stops notifying a viewer whose share was taken back, even with the switch still on", async () => {
    const device = await provisionDevice("ES256");
    const owner = await signUp();
    const viewer = await signUp();
    await claim(owner, device, "Shed");
    expect((await share(owner, device.serial, viewer, "viewer")).status).toBe(201);
    await notificationsFor(viewer, device.serial, true);
    expect((await subscribe(viewer, endpointFor("ex-viewer"), await newSubscriber())).status).toBe(201);
    expect((await api("DELETE", `/api/cameras/${device.serial}/shares/${viewer.id}`, { cookie: owner.cookie })).status).toBeLessThan(300);
    const service = pushService();
    expect(await deliverCameraEvent(env, { serial: device.serial, eventId: "ev-3", startedAt: "2026-12-07T12:00:00Z", more: 0 }, Date.now(), service.fetcher)).toMatchObject({ recipients: 0, sent: 0 });
  });
});
