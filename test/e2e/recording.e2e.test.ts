// Recording and playback on real parts: the demo camera's agent records fMP4 segments to its
// data dir, the owner's PWA in Debian's Chromium lists them on the timeline, plays a recorded
// time from segments fetched over the P2P data channel into Media Source Extensions, seeks to
// another segment, changes speed and pauses — while the live video keeps playing beside it.
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { signIn } from "./support/accounts.ts";
import { createDiagnostics } from "./support/diagnostics.ts";
import { startTestStack } from "./support/local-stack.ts";
import { pageControl, testId, waitForFirstFrame } from "./support/pwa.ts";
import { playbackProgress } from "./support/video-frame.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;
let page: Page;
// On failure, also the test ids on the page (which controls were there).
const diagnostics = createDiagnostics(
  () => stack.logs,
  async () => `test ids on the page: ${await page.evaluate(() => [...document.querySelectorAll("[data-testid]")].map((e) => e.getAttribute("data-testid")).join(" "))}`,
);
const step = diagnostics.step;

interface Segment {
  id: string;
  start: number;
  end: number;
  bytes: number;
}

beforeAll(async () => {
  stack = await startTestStack("recording");
  if (!stack.camera.owner) throw new Error("this e2e needs the demo owner account (startTestStack with demoOwner)");
  browser = await launchChromium();
  page = await browser.context.newPage();
  diagnostics.watch(page);
  await signIn(page, stack.url, stack.camera.owner.email, stack.camera.owner.password);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const control = (method: string, params: unknown = {}) => pageControl(page, method, params);

async function listSegments(): Promise<Segment[]> {
  const r = await control("recordings.list", { from: 0, to: Date.now() + 60_000 });
  if (!r.ok) throw new Error(`recordings.list failed: ${r.error.code} ${r.error.message}`);
  return r.result.segments as Segment[];
}

/** Clicks the timeline where recording time `t` is drawn. */
async function clickTimelineAt(t: number): Promise<void> {
  const el = page.locator(testId("playback-timeline"));
  const { from, to } = await el.evaluate((n) => ({ from: Number((n as HTMLElement).dataset.from), to: Number((n as HTMLElement).dataset.to) }));
  const box = (await el.boundingBox())!;
  expect(t).toBeGreaterThan(from);
  expect(t).toBeLessThan(to);
  await el.click({ position: { x: ((t - from) / (to - from)) * box.width, y: box.height / 2 } });
}

/** The playback video: its position in recording time, decoded size and state. */
async function playback(): Promise<{ wall: number; time: number; width: number; paused: boolean; rate: number }> {
  return page.$eval(testId("playback-video"), (n) => {
    const v = n as HTMLVideoElement;
    return { wall: Number(v.dataset.epoch) + v.currentTime * 1000, time: v.currentTime, width: v.videoWidth, paused: v.paused, rate: v.playbackRate };
  });
}

/** Waits until the playback video is playing within `toleranceMs` of recording time `target`. */
async function waitNear(target: number, toleranceMs: number): Promise<void> {
  await page.waitForFunction(
    ([sel, t, tol]) => {
      const v = document.querySelector(sel as string) as HTMLVideoElement | null;
      if (!v || !v.dataset.epoch || v.videoWidth === 0) return false;
      const wall = Number(v.dataset.epoch) + v.currentTime * 1000;
      return Math.abs(wall - (t as number)) < (tol as number) && !v.paused;
    },
    [testId("playback-video"), target, toleranceMs] as const,
    { timeout: 20_000, polling: 100 },
  );
}

describe("recording and playback in Chromium", () => {
  it("plays back a recording made during the test, seeks to another segment, and keeps live video playing", async () => {
    await step(async () => {
      await page.goto(`${stack.url}/cameras/${stack.camera.serial}`);
      await waitForFirstFrame(page);
      await page.waitForSelector(testId("controls-dock"), { timeout: 10_000 });
      await page.waitForFunction(() => typeof (window as unknown as { __portholeControl?: unknown }).__portholeControl === "function", undefined, { timeout: 10_000 });
      await page.waitForSelector(testId("playback-panel"), { timeout: 10_000 });
      const set = await control("settings.set", { patch: { recording: { mode: "continuous" } } });
      expect(set.ok, JSON.stringify(set)).toBe(true);
      await page.waitForSelector(`${testId("recording-state")}[data-active="true"]`, { timeout: 10_000 });

      // The demo clip has a keyframe every 6 s and segments end at the first keyframe after
      // 10 s: two finished 12 s segments after ~25 s.
      const deadline = Date.now() + 45_000;
      let segments: Segment[] = [];
      while (Date.now() < deadline) {
        segments = await listSegments();
        if (segments.length >= 2) break;
        await page.waitForTimeout(1000);
      }
      expect(segments.length).toBeGreaterThanOrEqual(2);
      const [first, second] = segments as [Segment, Segment];
      expect(second.start).toBe(first.end); // back to back
      const files = readdirSync(path.join(stack.agentDataDir, "recordings"));
      for (const s of segments) expect(files).toContain(`${s.id}.mp4`);

      // The timeline shows the recorded span once its listing refreshes.
      await page.click(testId("playback-range-15m"));
      await page.waitForFunction(
        ([sel, end]) => [...document.querySelectorAll(sel as string)].some((b) => Number((b as HTMLElement).dataset.end) >= (end as number)),
        [testId("playback-bar"), second.end] as const,
        { timeout: 15_000 },
      );

      const liveBefore = await playbackProgress(page, testId("video"));
      const mutedOf = (id: string) => page.$eval(testId(id), (v) => (v as HTMLVideoElement).muted);
      await page.click(testId("unmute-button"));
      expect(await mutedOf("video")).toBe(false);

      // Play a recorded time: the playback video decodes frames and advances from there. It
      // plays with sound, so live goes quiet meanwhile.
      const target = first.start + 3_000;
      await clickTimelineAt(target);
      await waitNear(target, 2_500);
      expect(await mutedOf("playback-video")).toBe(false);
      expect(await mutedOf("video")).toBe(true);
      const p1 = await playback();
      expect(p1.width).toBe(640);
      await page.waitForTimeout(1500);
      const p2 = await playback();
      expect(p2.time - p1.time).toBeGreaterThan(0.8);

      // Seek into the other segment: fetched and played from near the clicked time.
      const target2 = second.start + 6_000;
      await clickTimelineAt(target2);
      await waitNear(target2, 2_500);

      // Speed: 2× plays about two seconds per second.
      await page.click(testId("playback-speed-2"));
      const s1 = await playback();
      await page.waitForTimeout(1000);
      const s2 = await playback();
      expect(s2.rate).toBe(2);
      expect(s2.time - s1.time).toBeGreaterThan(1.4);

      // Pause holds the picture.
      await page.click(testId("playback-toggle"));
      await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLVideoElement).paused, testId("playback-video"));
      const h1 = await playback();
      await page.waitForTimeout(700);
      expect((await playback()).time).toBe(h1.time);
      // A paused recording gives the sound back to live.
      expect(await mutedOf("video")).toBe(false);

      // Live video kept playing all along.
      const liveAfter = await playbackProgress(page, testId("video"));
      expect(liveAfter.frames).toBeGreaterThan(liveBefore.frames + 30);

      // Back to live: the playback video goes away, the live one plays on.
      await page.click(testId("playback-live"));
      await page.waitForSelector(testId("playback-video"), { state: "detached", timeout: 5_000 });
      const l1 = await playbackProgress(page, testId("video"));
      await page.waitForTimeout(1000);
      expect((await playbackProgress(page, testId("video"))).frames).toBeGreaterThan(l1.frames + 5);
      expect(await page.locator(testId("playback-error")).count()).toBe(0);
    });
  });

  it("lets the owner record on demand from the panel: Record now, then Stop, leaves a new segment", async () => {
    await step(async () => {
      const set = await control("settings.set", { patch: { recording: { mode: "on-demand" } } });
      expect(set.ok, JSON.stringify(set)).toBe(true);
      // Switching from continuous ends the running recording.
      await page.waitForSelector(`${testId("recording-state")}[data-active="false"]`, { timeout: 10_000 });
      const before = new Set((await listSegments()).map((s) => s.id));
      const clickedAt = Date.now();
      await page.click(testId("record-toggle"));
      await page.waitForSelector(`${testId("recording-state")}[data-active="true"]`, { timeout: 10_000 });
      expect(await page.textContent(testId("record-toggle"))).toMatch(/stop/i);
      await page.waitForTimeout(2_500);
      await page.click(testId("record-toggle"));
      await page.waitForSelector(`${testId("recording-state")}[data-active="false"]`, { timeout: 10_000 });
      const added = (await listSegments()).filter((s) => !before.has(s.id));
      expect(added).toHaveLength(1);
      // It starts at the keyframe before the click (the hub's replay) and runs past the click.
      expect(added[0]!.end).toBeGreaterThan(clickedAt + 1_500);
      expect(readdirSync(path.join(stack.agentDataDir, "recordings")).filter((n) => n.endsWith(".part"))).toEqual([]);
    });
  });

  it("refuses a recording id that is not in the listing, naming the field", async () => {
    await step(async () => {
      const bad = await control("recordings.fetch", { id: "../settings" });
      expect(bad).toMatchObject({ ok: false, error: { code: "invalid_value", field: "id" } });
      const missing = await control("recordings.fetch", { id: "1000-2000" });
      expect(missing).toMatchObject({ ok: false, error: { code: "not_found" } });
    });
  });
});
