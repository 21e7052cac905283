// The whole live-view path on real parts: the PWA in Debian's Chromium, the edge in workerd
// (wrangler dev) with local D1, and the device agent playing the shipped demo clip.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { startTestStack } from "./support/local-stack.ts";
import { connect, readState, testId, waitForFirstFrame } from "./support/pwa.ts";
import { fingerprintDistance, frameFingerprint, playbackProgress, sampleVideoFrame } from "./support/video-frame.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;

beforeAll(async () => {
  stack = await startTestStack("live-view");
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openPwa(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(stack.url);
  return page;
}

/** The parts of window.__porthole the ICE-restart test reads. */
interface RestartState {
  stage?: string;
  sessionId: string;
  iceRestarts: number;
  iceState: string | null;
}

function dumpOnFailure(page: Page) {
  const lines: string[] = [];
  page.on("console", (msg) => lines.push(`[console.${msg.type()}] ${msg.text()}`));
  page.on("pageerror", (err) => lines.push(`[pageerror] ${err.message}`));
  return () => `${lines.slice(-40).join("\n")}\n--- stack logs ---\n${stack.logs.slice(-60).join("\n")}`;
}

describe("live view in Chromium", () => {
  it("decodes a non-blank frame of the demo camera over a direct LAN path", async () => {
    const page = await openPwa();
    const dump = dumpOnFailure(page);
    try {
      await connect(page, stack.camera.serial, stack.camera.accessCode);
      const state = await waitForFirstFrame(page);
      expect(state.timings.firstFrameAt).toBeGreaterThan(state.timings.clickAt ?? 0);

      const frame = await sampleVideoFrame(page, testId("video"));
      expect(frame.width).toBeGreaterThanOrEqual(320);
      expect(frame.height).toBeGreaterThanOrEqual(180);
      // A blank (black, grey or green) frame has almost no variance and few luma levels.
      expect(frame.stddev).toBeGreaterThan(20);
      expect(frame.buckets).toBeGreaterThan(5);

      // The path is classified from getStats once the pair is selected.
      await page.waitForFunction(() => Boolean((window as unknown as { __porthole?: { path?: string } }).__porthole?.path), undefined, { timeout: 5000 });
      const withPath = await readState(page);
      expect(withPath.pathKind).toBe("lan");
      expect(await page.locator(testId("path-label")).textContent()).toMatch(/LAN/i);
      // People read one plain line; the stages and figures wait behind the "i".
      expect(await page.textContent(testId("live-status"))).toBe("Live · on your network");
      expect(await page.isVisible(testId("connection-details"))).toBe(false);
      await page.click(testId("details-toggle"));
      expect(await page.isVisible(testId("path-label"))).toBe(true);
      await page.click(testId("details-toggle"));

      // On a phone, Stop sits above the picture, on the first screen.
      await page.setViewportSize({ width: 390, height: 844 });
      const stop = await page.locator(testId("disconnect-button")).boundingBox();
      const video = await page.locator(testId("video")).boundingBox();
      expect(stop && video && stop.y + stop.height <= video.y && stop.x + stop.width <= 390).toBe(true);
    } catch (error) {
      console.error(dump());
      throw error;
    } finally {
      await page.close();
    }
  });

  it("keeps the picture moving after the first frame", async () => {
    const page = await openPwa();
    try {
      await connect(page, stack.camera.serial, stack.camera.accessCode);
      await waitForFirstFrame(page);
      const first = await frameFingerprint(page, testId("video"));
      await page.waitForTimeout(1000);
      const later = await frameFingerprint(page, testId("video"));
      expect(fingerprintDistance(first, later)).toBeGreaterThan(0.1);
    } finally {
      await page.close();
    }
  });

  it("restarts ICE on a network change and keeps playing on the same session", async () => {
    const page = await openPwa();
    const dump = dumpOnFailure(page);
    try {
      await connect(page, stack.camera.serial, stack.camera.accessCode);
      await waitForFirstFrame(page);
      const before = (await readState(page)) as unknown as RestartState;
      // What the browser fires when the network comes back (or Wi-Fi ↔ mobile): ask for a restart.
      await page.evaluate(() => window.dispatchEvent(new Event("online")));
      await page.waitForFunction(() => (window as unknown as { __porthole: RestartState }).__porthole.iceRestarts === 1, undefined, { timeout: 5000 });
      // The camera's new offer carries new ICE credentials; the pair reconnects and video goes on.
      await page.waitForFunction(() => {
          const s = (window as unknown as { __porthole: RestartState }).__porthole;
          return s.stage === "live" && ["connected", "completed"].includes(s.iceState ?? "");
        }, undefined, { timeout: 10_000, polling: 50 });
      const p1 = await playbackProgress(page, testId("video"));
      await page.waitForTimeout(1500);
      const p2 = await playbackProgress(page, testId("video"));
      expect(p2.frames, dump()).toBeGreaterThan(p1.frames + 10);
      const after = (await readState(page)) as unknown as RestartState;
      expect(after.sessionId).toBe(before.sessionId);
      expect(stack.logs.some((l) => l.includes("session_ice_restart") && l.includes(before.sessionId)), dump()).toBe(true);
    } finally {
      await page.close();
    }
  });

  it("serves two viewers at once, and one leaving does not stop the other", async () => {
    const a = await openPwa();
    const b = await openPwa();
    try {
      await Promise.all([connect(a, stack.camera.serial, stack.camera.accessCode), connect(b, stack.camera.serial, stack.camera.accessCode)]);
      await Promise.all([waitForFirstFrame(a), waitForFirstFrame(b)]);
      const presence = await (await fetch(`${stack.url}/api/devices/${stack.camera.serial}`)).json() as { viewers: number };
      expect(presence.viewers).toBe(2);

      await a.click(testId("disconnect-button"));
      const before = await playbackProgress(b, testId("video"));
      const beforePicture = await frameFingerprint(b, testId("video"));
      await b.waitForTimeout(1000);
      const after = await playbackProgress(b, testId("video"));
      // 15 fps demo: about 15 new frames a second; 5 leaves room for a loaded machine.
      expect(after.frames - before.frames).toBeGreaterThan(5);
      expect(after.time).toBeGreaterThan(before.time);
      expect(fingerprintDistance(beforePicture, await frameFingerprint(b, testId("video")))).toBeGreaterThan(0.1);
      expect((await readState(b)).error ?? null).toBeNull();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("tells the person the access code is wrong, in words they can act on", async () => {
    const page = await openPwa();
    try {
      await connect(page, stack.camera.serial, "WRONGCODE99");
      const error = page.locator(testId("error-message"));
      await error.waitFor({ state: "visible", timeout: 10_000 });
      expect(await error.textContent()).toMatch(/access code/i);
      expect((await readState(page)).error?.code).toBe("wrong_access_code");
    } finally {
      await page.close();
    }
  });

  it("tells the person no camera has an unknown serial", async () => {
    const page = await openPwa();
    try {
      await connect(page, "NOPE-0000", "WHATEVER123");
      await page.locator(testId("error-message")).waitFor({ state: "visible", timeout: 10_000 });
      expect((await readState(page)).error?.code).toBe("device_not_found");
    } finally {
      await page.close();
    }
  });

  it("is an installable PWA: manifest with 192 and 512 icons, and an active service worker", async () => {
    const page = await openPwa();
    try {
      const manifestHref = await page.getAttribute('link[rel="manifest"]', "href");
      expect(manifestHref).toBeTruthy();
      const manifest = await (await fetch(new URL(manifestHref!, stack.url))).json() as { icons: { sizes: string; src: string }[]; display: string; start_url: string };
      expect(manifest.display).toBe("standalone");
      const sizes = manifest.icons.map((i) => i.sizes);
      expect(sizes).toContain("192x192");
      expect(sizes).toContain("512x512");
      for (const icon of manifest.icons) {
        const res = await fetch(new URL(icon.src, stack.url));
        expect(res.headers.get("content-type")).toMatch(/image\/png/);
      }
      const active = await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        return Boolean(reg.active);
      });
      expect(active).toBe(true);
    } finally {
      await page.close();
    }
  });

  it("shows the camera offline, with help, once its agent stops", async () => {
    const agent = stack.processes.find((p) => p.name === "agent");
    await agent?.stop();
    const deadline = Date.now() + 10_000;
    let online = true;
    while (online && Date.now() < deadline) {
      online = ((await (await fetch(`${stack.url}/api/devices/${stack.camera.serial}`)).json()) as { online: boolean }).online;
      if (online) await new Promise((r) => setTimeout(r, 100));
    }
    expect(online).toBe(false);

    const page = await openPwa();
    try {
      await connect(page, stack.camera.serial, stack.camera.accessCode);
      await page.locator(testId("error-message")).waitFor({ state: "visible", timeout: 10_000 });
      expect((await readState(page)).error?.code).toBe("device_offline");
    } finally {
      await page.close();
    }
  });
});
