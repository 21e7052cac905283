// Why: the README's pictures of the app people use — the camera list with pictures, four cameras
// at once, the events timeline, a notification, the phone live page and the owner's camera
// page — are taken from the real local stack (`npm run docs:app-screenshots`), never drawn. Four
// demo cameras run; their demo scene moves, so each makes a motion event every couple of minutes
// (the script waits for them).
// The notification goes the whole real way: the camera's event → the edge → RFC 8291 encrypted
// push → a stand-in push service on 127.0.0.1 that decrypts it → Chromium's service worker
// (through CDP: Chromium's own push service is out of reach) → Chromium's notification popup on
// a private X display, grabbed with ffmpeg (scripts/lib/headful-screen.ts).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { z } from "zod";
import { startPushService } from "../test/e2e/support/push-service.ts";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./lib/chromium.ts";
import { EdgeSession } from "./lib/edge-api.ts";
import { startHeadfulScreen } from "./lib/headful-screen.ts";
import { REPO_ROOT, TMP_DIR } from "./lib/paths.ts";
import { waitFor } from "./lib/processes.ts";
import { startStack } from "./lib/stack.ts";

const DOCS = path.join(REPO_ROOT, "docs");
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const EventsSchema = z.object({ events: z.array(z.object({ serial: z.string(), id: z.string() })), more: z.boolean() });
const IdSchema = z.object({ id: z.string() });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out = (name: string) => path.join(DOCS, name);
function wrote(file: string): void {
  console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
}

/** Signs the browser context in through the API (the form would make Chromium offer to save
 * the password, a bubble over the picture). The context's request client shares its cookies. */
async function signIn(page: Page, url: string, creds: { email: string; password: string }): Promise<void> {
  const res = await page.context().request.post(`${url}/api/auth/login`, { data: creds, headers: { origin: url } });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
  await page.goto(url);
  await page.waitForSelector('[data-testid="signout-button"]');
}

/** Every <img> in `selector` has decoded (thumbnails fetched peer-to-peer), and there is one. */
async function picturesLoaded(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>(`${sel} img`)];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, selector);
}

async function main(): Promise<void> {
  mkdirSync(DOCS, { recursive: true });
  const dir = path.join(TMP_DIR, `app-screenshots-${process.pid}-${Date.now()}`);
  const push = await startPushService();
  const stack = await startStack({
    port: 0,
    persistDir: path.join(dir, "state"),
    demoFile: path.join(dir, "demo-camera.json"),
    buildWeb: "always",
    agentSource: "demo",
    // The camera `npm start` runs (scripts/start.ts): virtual PTZ, SD/HD and push-to-talk.
    agentArgs: ["--ptz", "virtual", "--talk-sink", `file:${path.join(dir, "talk.opus")}`],
    extraCameras: 3,
    wranglerVars: { PUSH_TEST_ORIGIN: push.origin },
    log: (l) => console.log(l),
  });
  const screen = await startHeadfulScreen(DESKTOP);
  const phoneBrowser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    const creds = stack.camera.owner;
    if (!creds) throw new Error("the stack started without a demo owner");
    const cameras = [stack.camera, ...stack.extraCameras];
    const t0 = Date.now();

    // The account's phone, as far as the edge can tell: a push subscription (the stand-in's).
    const owner = new EdgeSession(stack.url);
    await owner.signUpOrIn(creds.email, creds.password);
    const sub = push.subscribe();
    await owner.call("POST", "/api/push/subscriptions", IdSchema, { endpoint: sub.endpoint, keys: sub.keys, timeZone: "UTC", quietHours: null });
    // Notifications are per camera and opt-in (the camera page's Notifications card).
    for (const c of cameras) await owner.call("PUT", `/api/push/cameras/${encodeURIComponent(c.serial)}`, z.object({ on: z.boolean() }), { on: true });

    const context = screen.context;
    await context.grantPermissions(["notifications"], { origin: stack.url });
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    const registrations: Array<{ registrationId: string; scopeURL: string }> = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e: { registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> }) => {
      for (const r of e.registrations) if (!r.isDeleted) registrations.push(r);
    });
    await cdp.send("ServiceWorker.enable");
    await signIn(page, stack.url, creds);

    // Four cameras at once; each tile also leaves its camera's card a picture.
    await page.goto(`${stack.url}/multi`);
    await waitFor("four playing tiles", async () => {
      const n = await page.evaluate(() => [...document.querySelectorAll<HTMLVideoElement>('[data-testid^="multi-video-"]')].filter((v) => v.videoWidth > 0 && v.currentTime > 1).length);
      return n >= cameras.length ? true : undefined;
    }, 60_000, 250);
    await sleep(4_000);
    await page.screenshot({ path: out("multi-view.png") });
    wrote(out("multi-view.png"));

    // The first motion event's notification, on its way through the edge and the push service.
    const firstPush = await push.next(sub.id, 360_000);
    if (!firstPush.plaintext) throw new Error(`the stand-in push service refused the edge's push: ${firstPush.error}`);
    await page.goto(`${stack.url}/`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const registration = await waitFor("the service worker's registration", async () => registrations.find((r) => r.scopeURL === `${stack.url}/`), 15_000);
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: stack.url, registrationId: registration.registrationId, data: firstPush.plaintext });
    await sleep(2_000);
    await screen.capture(out("notification.png"));
    wrote(out("notification.png"));

    // A few events across the cameras, their pictures fetched peer-to-peer into this browser.
    await waitFor("three motion events", async () => {
      const r = await owner.call("GET", "/api/events?limit=20", EventsSchema);
      return r.events.length >= 3 ? true : undefined;
    }, 300_000, 2_000);
    await page.goto(`${stack.url}/events`);
    // Every row's picture, fetched from its camera (a camera busy or offline keeps the icon).
    await waitFor("the timeline's pictures", async () => {
      const all = await page.evaluate(() => {
        const rows = [...document.querySelectorAll('[data-testid^="event-DEMO-"]')];
        return rows.length > 0 && rows.every((r) => [...r.querySelectorAll("img")].some((i) => i.complete && i.naturalWidth > 0));
      });
      return all ? true : undefined;
    }, 90_000, 500).catch(() => console.warn("some event pictures did not arrive; photographing as it is"));
    await sleep(500);
    await page.screenshot({ path: out("events.png") });
    wrote(out("events.png"));

    await page.goto(`${stack.url}/`);
    await waitFor("every camera's picture", async () => ((await picturesLoaded(page, '[data-testid="camera-list"]')) ? true : undefined), 30_000, 250);
    await sleep(500);
    await page.screenshot({ path: out("cameras.png") });
    wrote(out("cameras.png"));

    // The desktop live page (the README's first picture).
    await page.goto(`${stack.url}/cameras/${encodeURIComponent(stack.camera.serial)}`);
    await page.waitForSelector('[data-testid="live-status"]');
    await waitFor("the live picture", async () => ((await page.evaluate(() => (document.querySelector<HTMLVideoElement>('[data-testid="video"]')?.currentTime ?? 0) > 2)) ? true : undefined), 30_000, 250);
    await page.screenshot({ path: out("screenshot.png") });
    wrote(out("screenshot.png"));
    // The whole camera page of the owner: controls, motion, recordings and settings under the picture.
    await sleep(1_500);
    await page.screenshot({ path: out("controls.png"), fullPage: true });
    wrote(out("controls.png"));
    // The owner's own cards: settings, sharing and recent sessions.
    const ownerCards = await page.evaluate(() => {
      const titles = /^(settings|shared with|recent sessions)$/i;
      const cards = [...document.querySelectorAll("h2, h3, .card__title, .section-title")]
        .filter((h) => titles.test((h.textContent ?? "").trim()))
        .map((h) => h.closest(".card") ?? h.parentElement)
        .filter((c): c is Element => c !== null)
        .map((c) => c.getBoundingClientRect());
      if (cards.length === 0) return null;
      const x = Math.min(...cards.map((r) => r.left)) - 8;
      const y = Math.min(...cards.map((r) => r.top)) + window.scrollY - 8;
      return { x: Math.max(0, x), y: Math.max(0, y), width: Math.max(...cards.map((r) => r.right)) - x + 8, height: Math.max(...cards.map((r) => r.bottom)) + window.scrollY - y + 8 };
    });
    if (!ownerCards) throw new Error("the owner's cards (Settings, Shared with, Recent sessions) are not on the camera page");
    await page.screenshot({ path: out("camera-owner.png"), fullPage: true, clip: ownerCards });
    wrote(out("camera-owner.png"));
    await page.goto(`${stack.url}/`);

    // A phone: touch, small screen.
    const phone = await phoneBrowser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await signIn(p, stack.url, creds);
    await p.goto(`${stack.url}/cameras/${encodeURIComponent(stack.camera.serial)}`);
    await p.waitForSelector('[data-testid="live-status"]');
    await waitFor("the phone's live picture", async () => ((await p.evaluate(() => (document.querySelector<HTMLVideoElement>('[data-testid="video"]')?.currentTime ?? 0) > 2)) ? true : undefined), 30_000, 250);
    await p.screenshot({ path: out("live-phone.png") });
    wrote(out("live-phone.png"));
    await p.goto(`${stack.url}/multi`);
    await sleep(6_000);
    await p.screenshot({ path: out("multi-phone.png") });
    wrote(out("multi-phone.png"));
    console.log(`done in ${Math.round((Date.now() - t0) / 1000)} s`);
  } finally {
    await phoneBrowser.close().catch(() => {});
    await screen.close();
    await stack.stop();
    await push.close();
  }
}

if (import.meta.main) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(`docs:app-screenshots failed: ${(e as Error).stack ?? String(e)}`);
      process.exit(1);
    },
  );
}
