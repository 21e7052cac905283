// The core viewer flows in both engines people use on a desktop: Debian's Chromium (playwright)
// and Debian's Firefox ESR (puppeteer over WebDriver BiDi), against one real stack — the edge in
// workerd, the demo camera's agent with virtual PTZ (ffmpeg pipeline: H.264 and VP8 side by
// side) and a file talk sink. Each engine watches from the label link and signed in, pans,
// switches SD/HD, downloads a snapshot, talks and plays a recording; Firefox without OpenH264
// must get the camera's VP8 stream. The forced relay is cross-browser-relay.e2e.test.ts.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { readJpegInfo } from "../../device-agent/src/controls/snapshot/jpeg-info.ts";
import { ffmpegAvailable } from "../../device-agent/src/media/ffmpeg-source.ts";
import { TMP_DIR } from "../../scripts/lib/paths.ts";
import { signIn } from "./support/accounts.ts";
import { ffprobe, peakDb, requireFfprobe } from "./support/audio-file.ts";
import type { DriverPage } from "./support/browsers.ts";
import { createDiagnostics } from "./support/diagnostics.ts";
import {
  decodedCodec,
  describeInEachEngine,
  EXPECTED_CODEC,
  expectCameraSentCodec,
  expectLivePicture,
  sessionIdOf,
  sleep,
  waitForPathKind,
  watchSignedIn,
} from "./support/engine-suite.ts";
import { startTestStack } from "./support/local-stack.ts";
import { estimateShift, lumaGrid, waitForVideoSize, type LumaGrid } from "./support/picture-shift.ts";
import { pageControl, testId, waitForFirstFrame } from "./support/pwa.ts";
import { playbackProgress } from "./support/video-frame.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let sinkDir: string;
const diagnostics = createDiagnostics(() => stack.logs);

beforeAll(async () => {
  if (!ffmpegAvailable()) throw new Error('ffmpeg is not installed: this test needs the Debian package "ffmpeg" (npm test installs it when run as root).');
  requireFfprobe("the cross-browser e2e");
  mkdirSync(TMP_DIR, { recursive: true });
  sinkDir = mkdtempSync(path.join(TMP_DIR, "e2e-cross-talk-"));
  // No TURN here: with host candidates only, the path can only be direct.
  stack = await startTestStack("cross-browser", { agentArgs: ["--ptz", "virtual", "--talk-sink", `file:${path.join(sinkDir, "talk.opus")}`] });
  if (!stack.camera.owner) throw new Error("this e2e needs the demo owner account");
});

afterAll(async () => {
  await stack?.stop();
  if (sinkDir) rmSync(sinkDir, { recursive: true, force: true });
});

/** Waits until the camera reports the head still, then for the new view to reach the screen. */
async function settledView(page: DriverPage): Promise<LumaGrid> {
  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute("data-moving") === "false", testId("ptz-pad"), { timeout: 10_000 });
  await sleep(1200);
  return lumaGrid(page, testId("video"));
}

interface Segment {
  id: string;
  start: number;
  end: number;
}

describeInEachEngine("core viewer flows", diagnostics, { fakeMicrophone: true }, ({ engine, browser, page: tab, flow }) => {
  flow(`plays the camera from its label link (serial and access code) as a moving, non-blank ${EXPECTED_CODEC[engine]} picture over a direct path`, async () => {
    const guest = await browser().newPage();
    guest.onLog((line) => diagnostics.lines.push(`[${engine} link] ${line}`));
    await guest.goto(`${stack.url}/?serial=${stack.camera.serial}#code=${encodeURIComponent(stack.camera.accessCode)}`);
    // The link fills the form in; the person only presses Connect.
    await guest.waitForSelector(testId("connect-button"), { timeout: 15_000 });
    expect(await guest.$eval(testId("serial-input"), (el) => (el as HTMLInputElement).value)).toBe(stack.camera.serial);
    expect(await guest.$eval(testId("code-input"), (el) => (el as HTMLInputElement).value)).toBe(stack.camera.accessCode);
    // The form shows the camera online first; clicking before that block appears can miss
    // the button as it moves down.
    await guest.waitForSelector(`${testId("presence")}[data-tone="online"]`, { timeout: 15_000 });
    await guest.click(testId("connect-button"));
    const state = await waitForFirstFrame(guest, 30_000);
    expect(state.timings.firstFrameAt).toBeGreaterThan(state.timings.clickAt ?? 0);
    await expectLivePicture(guest);
    expect(await decodedCodec(guest)).toBe(EXPECTED_CODEC[engine]);
    expectCameraSentCodec(stack.logs, await sessionIdOf(guest), EXPECTED_CODEC[engine]);
    // Direct: the pair is on 127.0.0.1 (LAN) or on the machine's own interface address, which
    // reads as P2P where that address is not a private one (this machine's is 192.0.2.x).
    expect(["lan", "p2p"]).toContain(await waitForPathKind(guest));
    // A failing flow leaves it open, so the failure report can say where it stood.
    await guest.close();
  });

  flow("signs in as the owner and plays the camera from its page", async () => {
    const page = tab();
    await signIn(page, stack.url, stack.camera.owner!.email, stack.camera.owner!.password);
    await watchSignedIn(page, `${stack.url}/cameras/${stack.camera.serial}`);
    await expectLivePicture(page);
    expect(await decodedCodec(page)).toBe(EXPECTED_CODEC[engine]);
    expectCameraSentCodec(stack.logs, await sessionIdOf(page), EXPECTED_CODEC[engine]);
  });

  flow("holding the PTZ right button pans the picture left, and the camera answers ptz.home ok", async () => {
    const page = tab();
    await page.waitForSelector(testId("ptz-pad"), { timeout: 15_000 });
    const home = await pageControl(page, "ptz.home", {});
    expect(home.ok, JSON.stringify(home)).toBe(true);
    const before = await settledView(page);
    await page.pressOn(testId("ptz-right"));
    await sleep(1000);
    await page.release();
    const shift = estimateShift(before, await settledView(page));
    // Pan 0 → ~0.6 moves the crop window ~16 of 160 grid columns; the content moves left.
    expect(shift.dx).toBeLessThanOrEqual(-6);
    expect(shift.error).toBeLessThan(shift.errorAtZero * 0.6);
    const status = await pageControl(page, "ptz.status", {});
    expect(status.ok && (status.result.position as { pan: number }).pan).toBeGreaterThan(0.3);
    expect((await pageControl(page, "ptz.home", {})).ok).toBe(true);
  });

  flow("switches to HD and back to SD on the same session", async () => {
    const page = tab();
    const id = await sessionIdOf(page);
    await page.click(testId("quality-hd"));
    await waitForVideoSize(page, testId("video"), 1280, 720, 20_000);
    await page.click(testId("quality-sd"));
    await waitForVideoSize(page, testId("video"), 640, 360, 20_000);
    expect(await sessionIdOf(page)).toBe(id);
    expect(await decodedCodec(page)).toBe(EXPECTED_CODEC[engine]);
  });

  flow("downloads a snapshot as a valid JPEG the size of the video, named after the camera and the time", async () => {
    const page = tab();
    const { name, bytes } = await page.download(testId("snapshot-button"), 20_000);
    expect(name).toMatch(new RegExp(`^${stack.camera.serial}-\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}\\.jpg$`));
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
    const video = await page.$eval(testId("video"), (v) => ({ width: (v as HTMLVideoElement).videoWidth, height: (v as HTMLVideoElement).videoHeight }));
    expect(video.width).toBeGreaterThan(0);
    expect(readJpegInfo(bytes)).toMatchObject(video);
  });

  flow("sends the held Talk button's microphone to the camera, which writes real sound as Ogg Opus", async () => {
    const page = tab();
    const before = new Set(readdirSync(sinkDir));
    const closedBefore = stack.logs.filter((l) => l.includes('"action":"sink_closed"')).length;
    await page.pressOn(testId("talk-button"));
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "Talking…", testId("talk-state"), { timeout: 10_000, polling: 50 });
    await sleep(2000);
    await page.release();
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "", testId("talk-state"), { timeout: 10_000, polling: 50 });
    // The agent closes the burst's file when the floor is released.
    const deadline = Date.now() + 10_000;
    while (stack.logs.filter((l) => l.includes('"action":"sink_closed"')).length <= closedBefore && Date.now() < deadline) await sleep(100);
    const files = readdirSync(sinkDir).filter((f) => !before.has(f) && /^talk-\d{8}T\d{9}Z\.opus$/.test(f));
    expect(files, `sink folder holds ${JSON.stringify(readdirSync(sinkDir))}`).toHaveLength(1);
    const file = path.join(sinkDir, files[0]!);
    const { codec, duration } = ffprobe(file);
    expect(codec).toBe("opus");
    expect(duration).toBeGreaterThanOrEqual(1);
    expect(duration).toBeLessThan(5);
    // Both engines' fake microphones make a tone: real sound arrived, not concealment frames.
    expect(peakDb(file)).toBeGreaterThan(-30);
  });

  flow("plays back a recorded segment fetched over the data channel while live keeps playing", async () => {
    const page = tab();
    await page.waitForSelector(testId("playback-panel"), { timeout: 10_000 });
    const set = await pageControl(page, "settings.set", { patch: { recording: { mode: "continuous" } } });
    expect(set.ok, JSON.stringify(set)).toBe(true);
    // Segments end at the first keyframe after 10 s: the first finished one within ~25 s.
    let segments: Segment[] = [];
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      const r = await pageControl(page, "recordings.list", { from: 0, to: Date.now() + 60_000 });
      if (!r.ok) throw new Error(`recordings.list failed: ${r.error.code} ${r.error.message}`);
      segments = r.result.segments as Segment[];
      if (segments.length >= 1) break;
      await sleep(1000);
    }
    expect(segments.length).toBeGreaterThanOrEqual(1);
    const seg = segments[0]!;
    await page.click(testId("playback-range-15m"));
    await page.waitForFunction(
      ([sel, end]) => [...document.querySelectorAll(sel)].some((b) => Number((b as HTMLElement).dataset.end) >= end),
      [testId("playback-bar"), seg.end] as const,
      { timeout: 15_000, polling: 100 },
    );
    const liveBefore = await playbackProgress(page, testId("video"));
    const target = seg.start + 3_000;
    const { from, to } = await page.$eval(testId("playback-timeline"), (n) => ({ from: Number((n as HTMLElement).dataset.from), to: Number((n as HTMLElement).dataset.to) }));
    await page.clickAt(testId("playback-timeline"), { x: (target - from) / (to - from), y: 0.5 });
    // The playback video decodes the recording and advances from near the clicked time.
    await page.waitForFunction(
      ([sel, t]) => {
        const v = document.querySelector(sel) as HTMLVideoElement | null;
        if (!v || !v.dataset.epoch || v.videoWidth === 0 || v.paused) return false;
        return Math.abs(Number(v.dataset.epoch) + v.currentTime * 1000 - t) < 2_500;
      },
      [testId("playback-video"), target] as const,
      { timeout: 20_000, polling: 100 },
    );
    const at = () => page.$eval(testId("playback-video"), (v) => ({ time: (v as HTMLVideoElement).currentTime, width: (v as HTMLVideoElement).videoWidth }));
    const p1 = await at();
    await sleep(1500);
    const p2 = await at();
    expect(p1.width).toBeGreaterThan(0);
    expect(p2.time - p1.time).toBeGreaterThan(0.8);
    // Live kept playing beside it (only "it moves": a loaded machine paints fewer frames). The
    // picture comes first on the page, so the recordings sit below it; Firefox stops decoding a
    // video scrolled out of view, so the live one is brought back into view to be counted.
    await page.evaluate((sel) => document.querySelector(sel)?.scrollIntoView({ block: "center" }), testId("video"));
    await sleep(1500);
    const liveAfter = await playbackProgress(page, testId("video"));
    expect(liveAfter.frames).toBeGreaterThan(liveBefore.frames + 5);
    expect(liveAfter.time).toBeGreaterThan(liveBefore.time + 1);
    expect(await page.evaluate((sel) => document.querySelectorAll(sel).length, testId("playback-error"))).toBe(0);
    await page.click(testId("playback-live"));
    await page.waitForSelector(testId("playback-video"), { state: "detached", timeout: 5_000 });
  });

});
