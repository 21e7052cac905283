// Push notifications end to end on real parts (issue 13): the edge in workerd through wrangler,
// D1 with the real migrations, a stand-in camera holding a real vendor-signed token, and a local
// stand-in push service (support/push-service.ts) that verifies each request's VAPID signature
// and decrypts its RFC 8291 body with the subscription's own private key — nothing mocked between
// the camera's `event` frame and the decrypted notification. Then Chromium's service worker turns
// a push into a notification (delivered through CDP: Chromium's own push service is FCM, which
// is out of reach here).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { connectStandInCamera, signInCookie, type StandInCamera } from "../../scripts/lib/stand-in-clients.ts";
import { createECDH } from "node:crypto";
import { decryptAes128gcm, startPushService, type StandInPushService, type StandInSubscription } from "./support/push-service.ts";
import { startTestStack } from "./support/local-stack.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let push: StandInPushService;
let camera: StandInCamera | undefined;
let cookie: string;
let browser: LaunchedBrowser | undefined;

beforeAll(async () => {
  push = await startPushService();
  stack = await startTestStack("push", { agentSource: false, wranglerVars: { PUSH_TEST_ORIGIN: push.origin } });
  const owner = stack.camera.owner;
  if (!owner) throw new Error("the stack has no demo account");
  cookie = await signInCookie(stack.url, owner.email, owner.password);
});

afterAll(async () => {
  camera?.socket.close();
  await browser?.close();
  await stack?.stop();
  await push?.close();
});

/** A call to the edge's API as the signed-in PWA makes it (cookie, JSON, its own origin). */
async function asPwa(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${stack.url}${path}`, {
    method,
    headers: { cookie, origin: stack.url, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function register(sub: StandInSubscription): Promise<void> {
  const res = await asPwa("POST", "/api/push/subscriptions", { endpoint: sub.endpoint, keys: sub.keys, timeZone: "UTC", quietHours: null });
  expect(res.status, await res.clone().text()).toBe(201);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe("the stand-in push service", () => {
  it("decrypts the RFC 8291 §5 example with the example's user agent keys (so its checks can be trusted)", () => {
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(Buffer.from("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94", "base64url"));
    expect(ecdh.getPublicKey().toString("base64url")).toBe("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
    const body = Buffer.from(
      "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
      "base64url",
    );
    expect(decryptAes128gcm(body, ecdh, Buffer.from("BTBZMqHH6r4Tts7J_aSIgg", "base64url"))).toBe("When I grow up, I want to be a watermelon");
    body[body.length - 1]! ^= 1;
    expect(() => decryptAes128gcm(body, ecdh, Buffer.from("BTBZMqHH6r4Tts7J_aSIgg", "base64url"))).toThrow();
  });
});

describe("a camera's motion event", () => {
  it("reaches a subscribed browser as a push whose VAPID signature verifies and whose RFC 8291 body decrypts to the camera's name, the time and ids only", async () => {
    const serial = stack.camera.serial;
    const cameras = (await (await asPwa("GET", "/api/cameras")).json()) as { cameras: Array<{ serial: string; name: string }> };
    const name = cameras.cameras.find((c) => c.serial === serial)?.name;
    expect(name).toBeTruthy();

    const phone = push.subscribe();
    const oldLaptop = push.subscribe();
    oldLaptop.gone = true;
    await register(phone);
    await register(oldLaptop);
    const on = await asPwa("PUT", `/api/push/cameras/${serial}`, { on: true });
    expect(on.status, await on.clone().text()).toBe(200);

    camera = await connectStandInCamera(stack.url, serial, stack.camera.token);
    const startedAt = new Date().toISOString();
    const arrived = push.next(phone.id, 20_000);
    camera.socket.send(JSON.stringify({ type: "event", event: { id: "ev_e2e_1", kind: "motion", startedAt } }));
    const received = await arrived;

    expect(received.error).toBeNull();
    expect(received.vapid).toMatchObject({ aud: push.origin, sub: expect.stringMatching(/^(mailto:|https:)/) });
    expect(received.headers["content-encoding"]).toBe("aes128gcm");
    expect(received.headers.urgency).toBe("high");
    const payload = JSON.parse(received.plaintext ?? "null") as Record<string, unknown>;
    expect(payload).toEqual({ v: 1, serial, cameraName: name, eventId: "ev_e2e_1", startedAt, more: 0 });
    // The camera's name, the time and ids: no picture, nothing else.
    expect(received.plaintext).not.toMatch(/jpe?g|image|thumbnail|data:/i);

    // A windy tree: more events within the minute are held back, not sent.
    for (let i = 2; i <= 5; i++) camera.socket.send(JSON.stringify({ type: "event", event: { id: `ev_e2e_${i}`, kind: "motion", startedAt: new Date().toISOString() } }));
    await sleep(3_000);
    expect(push.received.filter((p) => p.subscriptionId === phone.id)).toHaveLength(1);

    // The gone subscription was tried once, answered 410 and was forgotten: the account now holds
    // one subscription, so nine more fit under the cap of ten, and an eleventh does not.
    expect(oldLaptop.goneHits).toBe(1);
    for (let i = 0; i < 9; i++) await register(push.subscribe());
    const over = await asPwa("POST", "/api/push/subscriptions", { endpoint: push.subscribe().endpoint, keys: phone.keys });
    expect(over.status).toBe(409);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe("push_subscription_limit");
  });
});

describe("the PWA's service worker", () => {
  it("shows a push as a notification with the camera's name and time that opens the event", async () => {
    browser = await launchChromium();
    const context = browser.context;
    await context.grantPermissions(["notifications"], { origin: stack.url });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const registrations: Array<{ registrationId: string; scopeURL: string }> = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e: { registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> }) => {
      for (const r of e.registrations) if (!r.isDeleted) registrations.push(r);
    });
    await cdp.send("ServiceWorker.enable");
    await page.goto(stack.url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const deadline = Date.now() + 10_000;
    while (!registrations.some((r) => r.scopeURL === `${stack.url}/`) && Date.now() < deadline) await sleep(100);
    const registration = registrations.find((r) => r.scopeURL === `${stack.url}/`);
    expect(registration, "the service worker registered for the whole origin").toBeDefined();

    const payload = { v: 1, serial: stack.camera.serial, cameraName: "Garden gate", eventId: "ev_sw_1", startedAt: "2026-12-07T19:04:00.000Z", more: 2 };
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: stack.url, registrationId: registration!.registrationId, data: JSON.stringify(payload) });

    let shown: Array<{ title: string; body: string; tag: string; data: unknown }> = [];
    for (let i = 0; i < 50 && shown.length === 0; i++) {
      await sleep(100);
      shown = await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown }));
      });
    }
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      title: "Garden gate",
      body: expect.stringMatching(/^Motion at \d{1,2}:\d{2}.* \(and 2 more since the last notification\)$/),
      tag: `camera:${stack.camera.serial}`,
      data: { url: `/cameras/${stack.camera.serial}?event=ev_sw_1` },
    });
  });
});
