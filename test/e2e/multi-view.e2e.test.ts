// The multi-camera view on real parts (issue 13, item 4): four demo agents in the local stack,
// the edge in workerd, the PWA in Debian's Chromium. Four tiles play at once, each its own
// session; with one camera held at its viewer limit that tile says it is full and the other
// three play; and a camera watched here, or on its own page, has a picture on its card in "My
// cameras" afterwards.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { TMP_DIR } from "../../scripts/lib/paths.ts";
import { startStack, type Stack } from "../../scripts/lib/stack.ts";
import { signIn } from "./support/accounts.ts";
import { testId } from "./support/pwa.ts";
import { playbackProgress } from "./support/video-frame.ts";

let stack: Stack;
let browser: LaunchedBrowser;
const logs: string[] = [];
let serials: string[];
let owner: { email: string; password: string };

beforeAll(async () => {
  const dir = path.join(TMP_DIR, `e2e-multi-view-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  stack = await startStack({
    port: 0,
    persistDir: path.join(dir, "state"),
    demoFile: path.join(dir, "demo-camera.json"),
    buildWeb: process.env.PORTHOLE_E2E_SKIP_BUILD === "1" ? "if-missing" : "always",
    agentSource: "demo",
    extraCameras: 3,
    log: (line) => logs.push(line),
    onProcessLine: (proc, line) => {
      logs.push(`[${proc}] ${line}`);
      if (logs.length > 2000) logs.splice(0, 500);
    },
  });
  serials = [stack.camera, ...stack.extraCameras].map((c) => c.serial);
  if (!stack.camera.owner) throw new Error("the stack has no demo owner");
  owner = stack.camera.owner;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

function dumpOnFailure(page: Page) {
  const lines: string[] = [];
  page.on("console", (msg) => lines.push(`[console.${msg.type()}] ${msg.text()}`));
  page.on("pageerror", (err) => lines.push(`[pageerror] ${err.message}`));
  return () => `${lines.slice(-40).join("\n")}\n--- stack logs ---\n${logs.slice(-60).join("\n")}`;
}

/** Waits until the tile's session is live and its <video> presents new frames at a real size. */
async function expectPlaying(page: Page, serial: string): Promise<void> {
  await page.waitForSelector(`${testId(`multi-tile-${serial}`)}[data-phase="live"]`, { timeout: 30_000 });
  const video = testId(`multi-video-${serial}`);
  const size = await page.$eval(video, (v) => ({ w: (v as HTMLVideoElement).videoWidth, h: (v as HTMLVideoElement).videoHeight }));
  expect(size.w, `${serial} video width`).toBeGreaterThan(0);
  // New frames presented (a MediaStream's currentTime runs on even when the picture freezes).
  const before = await playbackProgress(page, video);
  await page
    .waitForFunction(
      ([sel, n]) => (document.querySelector(sel as string) as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames >= (n as number) + 10,
      [video, before.frames] as const,
      { timeout: 10_000, polling: 200 },
    )
    .catch(async () => {
      throw new Error(`${serial}: no new frames in 10 s (${before.frames} → ${(await playbackProgress(page, video)).frames})`);
    });
  const after = await playbackProgress(page, video);
  expect(after.time, `${serial} playback clock`).toBeGreaterThan(before.time);
}

/** Presses the tile's Try again until the camera lets it in (or 30 s pass). */
async function waitForRetryToPlay(page: Page, serial: string): Promise<void> {
  const tile = testId(`multi-tile-${serial}`);
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (await page.isVisible(testId(`multi-retry-${serial}`))) await page.click(testId(`multi-retry-${serial}`));
    const tone = await page
      .waitForSelector(`${tile}[data-tone="live"], ${tile}[data-tone="busy"]`, { timeout: 20_000 })
      .then((el) => el.getAttribute("data-tone"));
    if (tone === "live") return;
    await page.waitForTimeout(1_000);
  }
  throw new Error(`${serial} stayed full`);
}

describe("the multi-camera view", () => {
  it("plays four local cameras at once, each in its own tile", async () => {
    const page = await browser.context.newPage();
    const dump = dumpOnFailure(page);
    try {
      await signIn(page, stack.url, owner.email, owner.password);
      await page.click(testId("nav-multi"));
      await page.waitForSelector(testId("multi-grid"));
      expect(await page.$$eval('[data-testid^="multi-tile-"]', (els) => els.length)).toBe(4);
      for (const serial of serials) await expectPlaying(page, serial);
      // Four sessions at once, not one shared: every camera counts this browser as a viewer.
      const statuses = await page.$$eval('[data-testid^="multi-status-"]', (els) => els.map((e) => e.textContent?.trim()));
      expect(statuses).toEqual(["Live", "Live", "Live", "Live"]);
      // Past the first picture (3 s after live), then back to the list in the app.
      await page.waitForTimeout(3_500);
      await page.click(testId("nav-cameras"));
      for (const serial of serials) {
        await page.waitForSelector(`${testId(`camera-picture-${serial}`)}[data-has-picture="true"]`, { timeout: 10_000 });
      }
      const img = await page.$eval(`${testId(`camera-picture-${serials[0]}`)} img`, (i) => ({ w: (i as HTMLImageElement).naturalWidth, h: (i as HTMLImageElement).naturalHeight }));
      expect(img.w).toBeGreaterThan(0);
      expect(img.w).toBeLessThanOrEqual(640);
    } catch (error) {
      console.error(dump());
      throw error;
    } finally {
      await page.close();
    }
  });

  it("says a camera at its viewer limit is full while the other three play", async () => {
    const full = serials[3]!;
    const other = await browser.context.newPage();
    const page = await browser.context.newPage();
    const dump = dumpOnFailure(page);
    // The owner lowers that camera's limit to one viewer, as its settings do (this browser is
    // signed in as the owner since the first test)…
    const setLimit = (maxViewers: number) =>
      page.evaluate(
        async ([serial, n]) => (await fetch(`/api/cameras/${encodeURIComponent(serial as string)}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ maxViewers: n }) })).status,
        [full, maxViewers] as const,
      );
    await page.goto(stack.url);
    expect(await setLimit(1)).toBe(200);
    try {
      await other.goto(`${stack.url}/cameras/${encodeURIComponent(full)}`);
      await other.waitForFunction(() => (window as unknown as { __porthole?: { stage?: string } }).__porthole?.stage === "live", null, { timeout: 30_000 });

      await page.goto(`${stack.url}/multi`);
      const tile = testId(`multi-tile-${full}`);
      await page.waitForSelector(`${tile}[data-tone="busy"]`, { timeout: 30_000 });
      expect((await page.textContent(testId(`multi-status-${full}`)))?.trim()).toBe("1 of 1 viewers — full");
      expect(await page.isVisible(testId(`multi-retry-${full}`))).toBe(true);
      for (const serial of serials.slice(0, 3)) await expectPlaying(page, serial);

      // The other tab leaves the camera's page for the list: the frame it showed as it left
      // becomes the card's picture (the one taken 3 s after live is older than this).
      const leftAt = Date.now();
      await other.click(testId("nav-cameras"));
      await other.waitForSelector(`${testId(`camera-picture-${full}`)}[data-has-picture="true"]`, { timeout: 10_000 });
      await other.waitForFunction(
        ([serial, t]) =>
          new Promise<boolean>((resolve) => {
            const open = indexedDB.open("porthole-pictures");
            open.onsuccess = () => {
              const get = open.result.transaction("pictures").objectStore("pictures").get(`camera:${serial as string}`);
              get.onsuccess = () => resolve(((get.result as { takenAt?: number } | undefined)?.takenAt ?? 0) >= (t as number));
              get.onerror = () => resolve(false);
            };
            open.onerror = () => resolve(false);
          }),
        [full, leftAt] as const,
        { timeout: 10_000, polling: 250 },
      );

      // The other tab stops watching: Try again now plays it.
      // (Its bye frees the slot at once; the hub's heartbeat check would within 15 s anyway.)
      await other.close();
      await waitForRetryToPlay(page, full);
      await expectPlaying(page, full);

      // A tap on a tile opens that camera's page.
      await page.click(testId(`multi-open-${serials[1]!}`));
      await page.waitForURL(`**/cameras/${encodeURIComponent(serials[1]!)}`);
    } catch (error) {
      console.error(dump());
      throw error;
    } finally {
      await setLimit(3).catch(() => undefined);
      await page.close();
      if (!other.isClosed()) await other.close();
    }
  });
});
