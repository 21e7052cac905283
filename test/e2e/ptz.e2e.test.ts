// Virtual PTZ and SD/HD on real parts: the demo camera's agent started with --ptz virtual (the
// clip goes through ffmpeg: crop window, per-quality encoders), the edge in workerd, the PWA in
// Debian's Chromium signed in as the camera's owner. What is checked is the picture itself:
// holding "right" shifts it horizontally by a measured amount, a preset brings the view back,
// and HD changes the decoded size within the same session.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { signIn } from "./support/accounts.ts";
import { createDiagnostics } from "./support/diagnostics.ts";
import { startTestStack } from "./support/local-stack.ts";
import { pageControl, testId, waitForFirstFrame } from "./support/pwa.ts";
import { estimateShift, lumaGrid, meanSaturation, mirrored, videoSize, waitForVideoSize, type LumaGrid } from "./support/picture-shift.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;
let page: Page;
const diagnostics = createDiagnostics(() => stack.logs);
const step = diagnostics.step;

beforeAll(async () => {
  stack = await startTestStack("ptz", { agentArgs: ["--ptz", "virtual"] });
  if (!stack.camera.owner) throw new Error("this e2e needs the demo owner account");
  browser = await launchChromium();
  page = await browser.context.newPage();
  diagnostics.watch(page);
  await signIn(page, stack.url, stack.camera.owner.email, stack.camera.owner.password);
  await step(async () => {
    await page.goto(`${stack.url}/cameras/${stack.camera.serial}`);
    await waitForFirstFrame(page, 30_000);
    await page.waitForSelector(testId("ptz-pad"), { timeout: 15_000 });
    // ptz.status answered: the pad shows a position.
    await page.waitForFunction((sel) => /Pan/.test(document.querySelector(sel)?.textContent ?? ""), testId("ptz-position"), { timeout: 10_000 });
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Holds an on-screen PTZ button with the mouse for `ms`, as a person would. */
async function hold(testid: string, ms: number): Promise<void> {
  // A press is at viewport coordinates: the pad may start below the picture's fold.
  await page.locator(testId(testid)).scrollIntoViewIfNeeded();
  const box = await page.locator(testId(testid)).boundingBox();
  if (!box) throw new Error(`${testid} is not visible`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(ms);
  await page.mouse.up();
}

/** Waits until the camera reports the head still, then for the new view to reach the screen. */
async function settled(): Promise<LumaGrid> {
  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute("data-moving") === "false", testId("ptz-pad"), { timeout: 10_000 });
  // ffmpeg's pipeline + the jitter buffer: well under a second on loopback.
  await page.waitForTimeout(1200);
  return lumaGrid(page, testId("video"));
}

const control = (method: string, params: unknown) => pageControl(page, method, params);

const frameCount = (): Promise<number> => page.$eval(testId("video"), (v) => (v as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames);

const sessionId = (): Promise<string | null> => page.evaluate(() => (window as unknown as { __porthole: { sessionId: string | null } }).__porthole.sessionId);

describe("virtual PTZ and SD/HD in Chromium", () => {
  it("starts the demo camera in day mode, whatever the hour (auto stays a setting)", async () => {
    await step(async () => {
      expect(await control("night.state", {})).toEqual({ ok: true, result: { mode: "off", active: false } });
      expect(await page.locator(testId("night-badge")).count()).toBe(0);
    });
  });

  it("holding right for a second shifts the picture to the left by a measurable amount", async () => {
    await step(async () => {
      await page.click(testId("ptz-home"));
      const before = await settled();
      await hold("ptz-right", 1000);
      const after = await settled();
      const shift = estimateShift(before, after);
      // Pan 0 → ~0.6 moves the window ~48 of the clip's 640 px; shown at 640 px wide that is
      // ~64 px, i.e. ~16 columns of the 160-column grid. The content moves left (negative).
      expect(shift.dx).toBeLessThanOrEqual(-6);
      expect(shift.dx).toBeGreaterThanOrEqual(-30);
      // The shifted frames really match (a shift, not just a different picture).
      expect(shift.error).toBeLessThan(shift.errorAtZero * 0.6);
      const pos = await page.locator(testId("ptz-position")).textContent();
      expect(pos).toMatch(/Pan 0\.[3-9]/);
    });
  });

  it("returns to a saved preset after moving away", async () => {
    await step(async () => {
      await page.fill(testId("ptz-preset-name"), "Door");
      await page.click(testId("ptz-preset-save"));
      await page.waitForSelector(`${testId("ptz-preset")}:has-text("Door")`, { timeout: 10_000 });
      const saved = await settled();

      await hold("ptz-left", 1600);
      await hold("ptz-down", 600);
      const away = await settled();
      const awayShift = estimateShift(saved, away);
      expect(Math.abs(awayShift.dx)).toBeGreaterThanOrEqual(6);

      await page.locator(`${testId("ptz-preset")}:has-text("Door") ${testId("ptz-preset-go")}`).click();
      const back = await settled();
      const backShift = estimateShift(saved, back);
      expect(Math.abs(backShift.dx)).toBeLessThanOrEqual(1);
      // Close to the saved frame (the clip's own motion is small), far closer than the away one.
      expect(backShift.errorAtZero).toBeLessThan(awayShift.errorAtZero * 0.5);
    });
  });

  it("moves with the arrow keys while the picture has focus, and with a drag on the picture", async () => {
    await step(async () => {
      await page.click(testId("ptz-home"));
      await settled();
      const pan = async (): Promise<number> => Number(/Pan (-?[\d.]+)/.exec((await page.locator(testId("ptz-position")).textContent()) ?? "")?.[1]);
      expect(await pan()).toBe(0);
      await page.focus(testId("video"));
      await page.keyboard.down("ArrowLeft");
      await page.waitForTimeout(800);
      await page.keyboard.up("ArrowLeft");
      await settled();
      expect(await pan()).toBeLessThan(-0.2);

      // Drag towards where to look: right of the press point pans right.
      const box = await page.locator(testId("video")).boundingBox();
      if (!box) throw new Error("no video");
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      await page.mouse.move(cx + box.width / 4, cy, { steps: 5 });
      await page.waitForTimeout(1000);
      await page.mouse.up();
      await settled();
      expect(await pan()).toBeGreaterThan(0.3);
      // The drag ended with a click on the picture; it must not also toggle the sound on.
      expect(await page.$eval(testId("video"), (v) => (v as HTMLVideoElement).muted)).toBe(true);
    });
  });

  it("switches SD to HD and back within the same session, changing the decoded resolution", async () => {
    await step(async () => {
      const id = await sessionId();
      expect(id).toBeTruthy();
      expect(await videoSize(page, testId("video"))).toEqual({ width: 640, height: 360 });
      await page.click(testId("quality-hd"));
      await waitForVideoSize(page, testId("video"), 1280, 720, 20_000);
      await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "1280 × 720", testId("quality-resolution"), { timeout: 5000 });
      expect(await page.getAttribute(testId("quality-switch"), "data-quality")).toBe("hd");
      expect(await sessionId()).toBe(id);
      // Still live after the switch: frames keep coming.
      const t0 = await page.$eval(testId("video"), (v) => (v as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames);
      await page.waitForTimeout(2000);
      const t1 = await page.$eval(testId("video"), (v) => (v as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames);
      expect(t1 - t0).toBeGreaterThan(5);

      await page.click(testId("quality-sd"));
      await waitForVideoSize(page, testId("video"), 640, 360, 20_000);
      expect(await sessionId()).toBe(id);
    });
  });

  it("follows image settings live: mirror flips the picture, night turns it grayscale, a new SD profile resizes it — same session", async () => {
    await step(async () => {
      const id = await sessionId();
      // The demo camera starts in day mode (a real camera's default stays "auto", 19:00–07:00 by
      // its clock); set it anyway so the test means the same whatever the default. The look
      // changes live, no restart.
      expect((await control("settings.set", { patch: { image: { night: "off" } } })).ok).toBe(true);
      for (const deadline = Date.now() + 10_000; (await meanSaturation(page, testId("video"))) <= 60; ) {
        if (Date.now() > deadline) throw new Error("the picture is still grayscale 10 s after night mode was turned off");
        await page.waitForTimeout(200);
      }
      await page.click(testId("ptz-home"));
      const before = await settled();

      expect((await control("settings.set", { patch: { image: { mirror: true } } })).ok).toBe(true);
      // A mirror change restarts the encoder: wait for the new picture, then compare.
      await page.waitForTimeout(2500);
      const flipped = await lumaGrid(page, testId("video"));
      const asMirror = estimateShift(mirrored(before), flipped);
      expect(Math.abs(asMirror.dx)).toBeLessThanOrEqual(1);
      expect(asMirror.errorAtZero).toBeLessThan(estimateShift(before, flipped).errorAtZero * 0.5);

      expect(await meanSaturation(page, testId("video"))).toBeGreaterThan(60);
      expect((await control("settings.set", { patch: { image: { mirror: false, night: "on" } } })).ok).toBe(true);
      await page.waitForFunction(
        (sel) => {
          const v = document.querySelector(sel) as HTMLVideoElement;
          const c = document.createElement("canvas");
          c.width = 32;
          c.height = 18;
          const ctx = c.getContext("2d");
          if (!ctx) return false;
          ctx.drawImage(v, 0, 0, 32, 18);
          const d = ctx.getImageData(0, 0, 32, 18).data;
          let s = 0;
          for (let i = 0; i < d.length; i += 4) s += Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!);
          return s / (d.length / 4) < 8;
        },
        testId("video"),
        { timeout: 10_000 },
      );

      expect((await control("settings.set", { patch: { image: { night: "off" } , quality: { sd: { width: 480, height: 270 } } } })).ok).toBe(true);
      await waitForVideoSize(page, testId("video"), 480, 270, 20_000);
      const f0 = await frameCount();
      await page.waitForTimeout(1500);
      expect((await frameCount()) - f0).toBeGreaterThan(5);
      expect(await meanSaturation(page, testId("video"))).toBeGreaterThan(60);
      expect(await sessionId()).toBe(id);
    });
  });

  it("says Night mode on the picture while the camera's night look is on", async () => {
    await step(async () => {
      await page.waitForSelector(testId("video"), { state: "visible" });
      expect(await page.locator(testId("night-badge")).count()).toBe(0);
      expect((await control("settings.set", { patch: { image: { night: "on" } } })).ok).toBe(true);
      // The camera pushes night.state; the picture says why it is grey.
      await page.waitForSelector(testId("night-badge"), { state: "visible", timeout: 5_000 });
      expect(await page.textContent(testId("night-badge"))).toMatch(/Night mode/);
      expect(await control("night.state", {})).toEqual({ ok: true, result: { mode: "on", active: true } });
      expect((await control("settings.set", { patch: { image: { night: "off" } } })).ok).toBe(true);
      await page.waitForSelector(testId("night-badge"), { state: "detached", timeout: 5_000 });
    });
  });

  it("keeps back and Stop in reach on a phone while the controls scroll under them; back goes to the camera list and ends the session", async () => {
    await step(async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.mouse.move(195, 600);
      await page.mouse.wheel(0, 1500);
      await page.waitForFunction(() => window.scrollY > 300, undefined, { timeout: 5_000 });
      for (const id of ["back-button", "disconnect-button"]) {
        const box = await page.locator(testId(id)).boundingBox();
        expect(box, id).not.toBeNull();
        expect(box!.y, id).toBeGreaterThanOrEqual(0);
        expect(box!.y + box!.height, id).toBeLessThanOrEqual(844);
      }
      await page.click(testId("back-button"));
      await page.waitForFunction(() => location.pathname === "/", undefined, { timeout: 5_000 });
      await page.waitForFunction(() => (window as unknown as { __porthole: { stage: string } }).__porthole.stage !== "live", undefined, { timeout: 5_000 });
    });
  });
});
