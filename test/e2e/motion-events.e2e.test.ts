// Motion events on real parts (issue 13's acceptance): wrangler dev, the real agent on a
// scripted H.264 picture (support/scripted-camera.ts: still and noisy until told, then a square
// crosses and comes back in 4 s) with recording on, and the owner's PWA in Debian's Chromium.
// A still picture makes no event; the motion makes one whose picture shows in the camera page's
// events panel within seconds; tapping it plays the recorded moment; a notification's link
// (?event=<id>) opens and plays it, and says so when the event is gone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { signIn } from "./support/accounts.ts";
import { createDiagnostics } from "./support/diagnostics.ts";
import { startTestStack } from "./support/local-stack.ts";
import { startScriptedCamera, type ScriptedCamera } from "./support/scripted-camera-process.ts";
import { pageControl, testId, waitForFirstFrame } from "./support/pwa.ts";

/** How long the still picture is watched for an event: longer than motion takes to show one. */
const STILL_WINDOW_MS = 8_000;
/** An event with its picture must be on the page this soon after the square starts moving. */
const EVENT_SHOWN_WITHIN_MS = 8_000;
/** web/src/lib/event-list.ts PLAY_LEAD_MS: playback starts this long before the event. */
const PLAY_LEAD_MS = 2_000;

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;
let page: Page;
let camera: ScriptedCamera;

const diagnostics = createDiagnostics(
  () => stack.logs,
  async () => `test ids on the page: ${await page.evaluate(() => [...document.querySelectorAll("[data-testid]")].map((e) => e.getAttribute("data-testid")).join(" "))}`,
);
const step = diagnostics.step;

beforeAll(async () => {
  stack = await startTestStack("motion-events", { agentSource: false });
  if (!stack.camera.owner) throw new Error("this e2e needs the demo owner account");
  camera = await startScriptedCamera(stack);
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

async function openCameraPage(query = ""): Promise<void> {
  await page.goto(`${stack.url}/cameras/${stack.camera.serial}${query}`);
  await waitForFirstFrame(page);
  await page.waitForSelector(testId("events-panel"), { timeout: 10_000 });
  await page.waitForFunction(() => typeof (window as unknown as { __portholeControl?: unknown }).__portholeControl === "function", undefined, { timeout: 10_000 });
}

/** The playback video's position in recording time (wall clock ms) and whether it plays. */
async function playback(): Promise<{ wall: number; time: number; paused: boolean }> {
  return page.$eval(testId("playback-video"), (n) => {
    const v = n as HTMLVideoElement;
    return { wall: Number(v.dataset.epoch) + v.currentTime * 1000, time: v.currentTime, paused: v.paused };
  });
}

/** Waits until the playback video plays decoded frames at a recording time within [from, to]. */
async function waitPlayingWithin(from: number, to: number, timeout: number): Promise<void> {
  await page.waitForFunction(
    ([sel, a, b]) => {
      const v = document.querySelector(sel as string) as HTMLVideoElement | null;
      if (!v || !v.dataset.epoch || v.videoWidth === 0 || v.paused) return false;
      const wall = Number(v.dataset.epoch) + v.currentTime * 1000;
      return wall >= (a as number) && wall <= (b as number);
    },
    [testId("playback-video"), from, to] as const,
    { timeout, polling: 100 },
  );
}

interface ListedEvent {
  id: string;
  start: number;
  end: number | null;
  thumbnail: unknown;
  recording: { from: number; to: number } | null;
}

async function listEvents(from: number): Promise<ListedEvent[]> {
  const r = await control("events.list", { from, to: Date.now() + 60_000 });
  if (!r.ok) throw new Error(`events.list failed: ${r.error.code} ${r.error.message}`);
  return r.result.events as ListedEvent[];
}

let event: ListedEvent;

describe("motion events in Chromium", () => {
  it("a still picture makes no event; motion makes one with its picture in seconds, and tapping it plays the recorded moment", async () => {
    await step(async () => {
      await openCameraPage();
      const set = await control("settings.set", { patch: { recording: { mode: "continuous" } } });
      expect(set.ok, JSON.stringify(set)).toBe(true);
      await page.waitForSelector(`${testId("recording-state")}[data-active="true"]`, { timeout: 10_000 });

      // Still (grain and a square that stays put): nothing listed, nothing pushed.
      const watchedFrom = Date.now();
      await page.waitForSelector(testId("events-empty"), { timeout: 5_000 });
      await page.waitForTimeout(STILL_WINDOW_MS);
      expect(await listEvents(watchedFrom - 60_000)).toEqual([]);
      expect(await page.locator(testId("event-item")).count()).toBe(0);

      // Motion: pushed to the open page with its picture within seconds.
      const motion = await camera.move();
      await page.waitForFunction(
        (sel) => [...document.querySelectorAll(sel)].some((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0),
        `${testId("event-item")} ${testId("event-thumbnail")}`,
        { timeout: EVENT_SHOWN_WITHIN_MS, polling: 100 },
      );
      expect(Date.now() - motion.from).toBeLessThan(EVENT_SHOWN_WITHIN_MS);
      const items = page.locator(testId("event-item"));
      expect(await items.count()).toBe(1);
      const start = Number(await items.first().getAttribute("data-start"));
      expect(start).toBeGreaterThanOrEqual(motion.from - 500);
      expect(start).toBeLessThan(motion.from + 3_000);
      const natural = await items.first().locator("img").evaluate((img) => (img as HTMLImageElement).naturalWidth);
      expect(natural).toBe(640);

      // It ends a few seconds after the square stops (the cutter's quiet time), recorded.
      await page.waitForSelector(`${testId("event-item")}:not([data-end=""])`, { timeout: 15_000 });
      const listed = await listEvents(watchedFrom - 60_000);
      expect(listed).toHaveLength(1);
      event = listed[0]!;
      expect(event.end).not.toBeNull();
      expect(event.end!).toBeLessThanOrEqual(motion.to + 1_000);
      expect(event.recording).not.toBeNull();
      expect(await items.first().getAttribute("data-recorded")).toBe("true");

      // Tap: the recording plays from just before the event, through it.
      await items.first().click();
      await page.waitForSelector(`${testId("event-playing")}[data-id="${event.id}"]`, { timeout: 5_000 });
      await waitPlayingWithin(event.start - PLAY_LEAD_MS - 1_000, event.end!, 30_000);
      const p1 = await playback();
      await page.waitForTimeout(1_200);
      const p2 = await playback();
      expect(p2.time - p1.time).toBeGreaterThan(0.6);
      expect(p2.wall).toBeGreaterThan(event.start - PLAY_LEAD_MS);
      expect(p2.wall).toBeLessThan(event.end! + 2_000);
      expect(await page.locator(testId("playback-error")).count()).toBe(0);

      // Live now: the recording stops, the live picture stays.
      await page.click(testId("events-live"));
      await page.waitForSelector(testId("playback-video"), { state: "detached", timeout: 5_000 });
      expect(await page.locator(testId("event-playing")).count()).toBe(0);
      expect(await page.locator(testId("video")).count()).toBe(1);
    });
  });

  it("a notification's link opens its event and plays it; a deleted event's link says it is gone", async () => {
    await step(async () => {
      const gone = `m${(event.start - 3_600_000).toString(36)}-000000`;
      await openCameraPage(`?event=${gone}`);
      await page.waitForSelector(testId("event-notice"), { timeout: 10_000 });
      expect(await page.textContent(testId("event-notice"))).toMatch(/no longer on the camera/);

      await openCameraPage(`?event=${event.id}`);
      await page.waitForSelector(`${testId("event-playing")}[data-id="${event.id}"]`, { timeout: 10_000 });
      expect(await page.getAttribute(`${testId("event-item")}[data-id="${event.id}"]`, "aria-pressed")).toBe("true");
      await waitPlayingWithin(event.start - PLAY_LEAD_MS - 1_000, event.end!, 15_000);
    });
  });
});
