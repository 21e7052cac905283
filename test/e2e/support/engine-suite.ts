// Why: the cross-browser e2e files run the same flows once per engine. This is the harness
// for that (a describe per engine, one browser launched for it, flows that wait for it) and
// the checks those flows share: a live picture that moves, the codec the PWA decodes, the
// path it took. Written against the driver in browsers.ts, so they hold for either engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES, launchBrowser, type DriverBrowser, type DriverPage, type Engine, type LaunchOptions } from "./browsers.ts";
import type { Diagnostics } from "./diagnostics.ts";
import { readState, testId, waitForFirstFrame } from "./pwa.ts";
import { playbackProgress, sampleVideoFrame } from "./video-frame.ts";

/** The video codec each engine must end up decoding: Debian's Firefox has no H.264 without OpenH264. */
export const EXPECTED_CODEC: Record<Engine, string> = { chromium: "H264", firefox: "VP8" };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface EngineContext {
  engine: Engine;
  /** The engine's browser and its first tab; valid inside a flow. */
  browser(): DriverBrowser;
  page(): DriverPage;
  /** One test: waits for the browser, runs, and prints the page and stack logs if it fails. */
  flow(name: string, fn: () => Promise<void>): void;
}

/**
 * Declares `body`'s flows once per engine, each engine in its own describe with one browser.
 * A browser that cannot start (say, its package is missing) fails every flow with the reason
 * instead of skipping them.
 */
export function describeInEachEngine(title: string, diagnostics: Diagnostics, options: LaunchOptions, body: (ctx: EngineContext) => void): void {
  describe.each(ENGINES)(`${title} in %s`, (engine) => {
    let browser: DriverBrowser | undefined;
    let page: DriverPage | undefined;
    let launched: Promise<void>;
    /** Every tab opened, so a failure can say where each one stood. */
    const tabs: DriverPage[] = [];

    beforeAll(() => {
      launched = (async () => {
        const launchedBrowser = await launchBrowser(engine, options);
        console.log(`[e2e] ${engine}: ${launchedBrowser.version}`);
        browser = {
          ...launchedBrowser,
          newPage: async () => {
            const tab = await launchedBrowser.newPage();
            tabs.push(tab);
            return tab;
          },
        };
        page = await browser.newPage();
        page.onLog((line) => diagnostics.lines.push(`[${engine}] ${line}`));
      })();
      launched.catch(() => {});
    });

    afterAll(async () => {
      await browser?.close();
    });

    const ready = <T>(value: T | undefined): T => {
      if (!value) throw new Error(`${engine} is not running`);
      return value;
    };
    body({
      engine,
      browser: () => ready(browser),
      page: () => ready(page),
      flow: (name, fn) =>
        it(name, async () => {
          await launched;
          await diagnostics.step(() =>
            fn().catch(async (error: unknown) => {
              for (const [i, tab] of tabs.entries()) console.error(`[${engine} tab ${i}] ${await describeTab(tab)}`);
              throw error;
            }),
          );
        }),
    });
  });
}

/** Where a tab stands, for a failure report: its URL, the PWA's session state and the test ids shown. */
async function describeTab(tab: DriverPage): Promise<string> {
  return tab
    .evaluate(() => {
      const w = window as unknown as { __porthole?: { stage?: string; error?: unknown; signaling?: unknown; pathKind?: unknown } };
      const s = w.__porthole;
      const ids = [...document.querySelectorAll("[data-testid]")].map((e) => e.getAttribute("data-testid")).join(" ");
      return `${location.href} stage=${s?.stage} signaling=${JSON.stringify(s?.signaling)} error=${JSON.stringify(s?.error)} path=${String(s?.pathKind)} ids: ${ids}`;
    })
    .catch((e: unknown) => `(closed or unreadable: ${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
}

/** The codec the PWA's stats panel says it decodes (inbound-rtp → codec mimeType). */
export async function decodedCodec(page: DriverPage): Promise<string> {
  const pattern = /\b(H264|VP8|VP9|AV1)\b/;
  await page.waitForFunction(
    ([sel, src]) => new RegExp(src).test(document.querySelector(sel)?.textContent ?? ""),
    [testId("video-stats"), pattern.source] as const,
    { timeout: 10_000, polling: 100 },
  );
  return pattern.exec(await page.textContent(testId("video-stats")))?.[1] ?? "";
}

/** The path kind (lan, p2p, relay) once the PWA has classified the selected pair. */
export async function waitForPathKind(page: DriverPage): Promise<string | null | undefined> {
  await page.waitForFunction(() => Boolean((window as unknown as { __porthole?: { pathKind?: string } }).__porthole?.pathKind), undefined, { timeout: 10_000, polling: 100 });
  return (await readState(page)).pathKind;
}

export const sessionIdOf = (page: DriverPage) => page.evaluate(() => (window as unknown as { __porthole: { sessionId: string | null } }).__porthole.sessionId);

/** Opens a camera's page signed in (it starts playing) and waits for the controls. */
export async function watchSignedIn(page: DriverPage, cameraUrl: string): Promise<void> {
  await page.goto(cameraUrl);
  await waitForFirstFrame(page, 30_000);
  await page.waitForSelector(testId("controls-dock"), { timeout: 15_000 });
  await page.waitForFunction(() => typeof (window as unknown as { __portholeControl?: unknown }).__portholeControl === "function", undefined, { timeout: 10_000 });
}

/** The live video shows a real picture (not blank) that keeps changing. */
export async function expectLivePicture(page: DriverPage): Promise<void> {
  const frame = await sampleVideoFrame(page, testId("video"));
  expect(frame.width).toBeGreaterThanOrEqual(320);
  // A blank (black, grey or green) frame has almost no variance and few luma levels.
  expect(frame.stddev).toBeGreaterThan(20);
  expect(frame.buckets).toBeGreaterThan(5);
  // 15 fps demo; a loaded 2-core machine paints fewer, so only "it moves" is asked.
  const p1 = await playbackProgress(page, testId("video"));
  await sleep(2000);
  const p2 = await playbackProgress(page, testId("video"));
  expect(p2.frames).toBeGreaterThan(p1.frames + 5);
  expect(p2.time).toBeGreaterThan(p1.time + 1);
}

/** The camera's own log agrees: it sent session `sessionId` its video in `codec`. */
export function expectCameraSentCodec(logs: readonly string[], sessionId: string | null, codec: string): void {
  const media = logs.find((l) => l.includes('"event":"session_media"') && l.includes(`"sessionId":"${sessionId}"`) && l.includes('"kind":"video"'));
  expect(media, `no session_media video line for ${sessionId}`).toContain(`"codec":"${codec}"`);
}
