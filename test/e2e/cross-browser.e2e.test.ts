// The core viewer flows in both engines people use on a desktop: Debian's Chromium (playwright)
// and Debian's Firefox ESR (puppeteer over WebDriver BiDi), against one real stack — the edge in
// workerd, a local coturn, the demo camera's agent with virtual PTZ (ffmpeg pipeline: H.264 and
// VP8 side by side) and a file talk sink. Each engine watches from the label link and signed
// in, pans, switches SD/HD, downloads a snapshot, talks, plays a recording and watches over a
// forced TURN relay. Firefox without OpenH264 must get the camera's VP8 stream.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJpegInfo } from "../../device-agent/src/controls/snapshot/jpeg-info.ts";
import { ffmpegAvailable } from "../../device-agent/src/media/ffmpeg-source.ts";
import { TMP_DIR } from "../../scripts/lib/paths.ts";
import { RELAY_REASONS } from "../../web/src/lib/relay-reason.ts";
import { signIn } from "./support/accounts.ts";
import { ffprobe, peakDb, requireFfprobe } from "./support/audio-file.ts";
import { ENGINES, launchBrowser, type DriverBrowser, type DriverPage, type Engine } from "./support/browsers.ts";
import { createDiagnostics } from "./support/diagnostics.ts";
import { startTestStack } from "./support/local-stack.ts";
import { estimateShift, lumaGrid, waitForVideoSize, type LumaGrid } from "./support/picture-shift.ts";
import { pageControl, readState, testId, waitForFirstFrame } from "./support/pwa.ts";
import { playbackProgress, sampleVideoFrame } from "./support/video-frame.ts";

/** The video codec each engine must end up decoding: Debian's Firefox has no H.264 without OpenH264. */
const EXPECTED_CODEC: Record<Engine, string> = { chromium: "H264", firefox: "VP8" };

let stack: Awaited<ReturnType<typeof startTestStack>>;
let sinkDir: string;
const diagnostics = createDiagnostics(() => stack.logs);
const step = diagnostics.step;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  if (!ffmpegAvailable()) throw new Error('ffmpeg is not installed: this test needs the Debian package "ffmpeg" (npm test installs it when run as root).');
  requireFfprobe("the cross-browser e2e");
  mkdirSync(TMP_DIR, { recursive: true });
  sinkDir = mkdtempSync(path.join(TMP_DIR, "e2e-cross-talk-"));
  stack = await startTestStack("cross-browser", {
    agentArgs: ["--ptz", "virtual", "--talk-sink", `file:${path.join(sinkDir, "talk.opus")}`],
    turn: true,
  });
  expect(stack.coturn, "coturn (Debian package `coturn`) must be installed for this test").toBeDefined();
  if (!stack.camera.owner) throw new Error("this e2e needs the demo owner account");
});

afterAll(async () => {
  await stack?.stop();
  if (sinkDir) rmSync(sinkDir, { recursive: true, force: true });
});

/** The codec the PWA's stats panel says it decodes (inbound-rtp → codec mimeType). */
async function decodedCodec(page: DriverPage): Promise<string> {
  const pattern = /\b(H264|VP8|VP9|AV1)\b/;
  await page.waitForFunction(
    ([sel, src]) => new RegExp(src).test(document.querySelector(sel)?.textContent ?? ""),
    [testId("video-stats"), pattern.source] as const,
    { timeout: 10_000, polling: 100 },
  );
  return pattern.exec(await page.textContent(testId("video-stats")))?.[1] ?? "";
}

async function waitForPathKind(page: DriverPage): Promise<string | null | undefined> {
  await page.waitForFunction(() => Boolean((window as unknown as { __porthole?: { pathKind?: string } }).__porthole?.pathKind), undefined, { timeout: 10_000, polling: 100 });
  return (await readState(page)).pathKind;
}

const sessionIdOf = (page: DriverPage) => page.evaluate(() => (window as unknown as { __porthole: { sessionId: string | null } }).__porthole.sessionId);

/** Opens the camera's page signed in (it starts playing) and waits for the controls. */
async function watchSignedIn(page: DriverPage, query = ""): Promise<void> {
  await page.goto(`${stack.url}/cameras/${stack.camera.serial}${query}`);
  await waitForFirstFrame(page, 30_000);
  await page.waitForSelector(testId("controls-dock"), { timeout: 15_000 });
  await page.waitForFunction(() => typeof (window as unknown as { __portholeControl?: unknown }).__portholeControl === "function", undefined, { timeout: 10_000 });
}

/** Waits until the camera reports the head still, then for the new view to reach the screen. */
async function settledView(page: DriverPage): Promise<LumaGrid> {
  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute("data-moving") === "false", testId("ptz-pad"), { timeout: 10_000 });
  await sleep(1200);
  return lumaGrid(page, testId("video"));
}

async function expectLivePicture(page: DriverPage): Promise<void> {
  const frame = await sampleVideoFrame(page, testId("video"));
  expect(frame.width).toBeGreaterThanOrEqual(320);
  // A blank (black, grey or green) frame has almost no variance and few luma levels.
  expect(frame.stddev).toBeGreaterThan(20);
  expect(frame.buckets).toBeGreaterThan(5);
  const p1 = await playbackProgress(page, testId("video"));
  await sleep(1000);
  expect((await playbackProgress(page, testId("video"))).frames).toBeGreaterThan(p1.frames + 5);
}

interface Segment {
  id: string;
  start: number;
  end: number;
}

describe.each(ENGINES)("core viewer flows in %s", (engine) => {
  let browser: DriverBrowser;
  let page: DriverPage;
  // Launched once for the engine; every flow awaits it, so a browser that cannot start (say,
  // the package is missing) fails each flow with the reason instead of skipping them.
  let launched: Promise<void>;

  beforeAll(() => {
    launched = (async () => {
      browser = await launchBrowser(engine, { fakeMicrophone: true });
      console.log(`[e2e] ${engine}: ${browser.version}`);
      page = await browser.newPage();
      page.onLog((line) => diagnostics.lines.push(`[${engine}] ${line}`));
    })();
    launched.catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** One flow: waits for the browser, runs, and prints the page and stack logs if it fails. */
  const flow = (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      await launched;
      await step(fn);
    });

  flow(`plays the camera from its label link (serial and access code) as a moving, non-blank ${EXPECTED_CODEC[engine]} picture over a direct path`, async () => {
    const guest = await browser.newPage();
    guest.onLog((line) => diagnostics.lines.push(`[${engine} link] ${line}`));
    try {
      await guest.goto(`${stack.url}/?serial=${stack.camera.serial}#code=${encodeURIComponent(stack.camera.accessCode)}`);
      // The link fills the form in; the person only presses Connect.
      await guest.waitForSelector(testId("connect-button"), { timeout: 15_000 });
      expect(await guest.$eval(testId("serial-input"), (el) => (el as HTMLInputElement).value)).toBe(stack.camera.serial);
      expect(await guest.$eval(testId("code-input"), (el) => (el as HTMLInputElement).value)).toBe(stack.camera.accessCode);
      await guest.click(testId("connect-button"));
      const state = await waitForFirstFrame(guest, 30_000);
      expect(state.timings.firstFrameAt).toBeGreaterThan(state.timings.clickAt ?? 0);
      await expectLivePicture(guest);
      expect(await decodedCodec(guest)).toBe(EXPECTED_CODEC[engine]);
      // Direct, not relayed. Both ends also have this stack's coturn on 127.0.0.1 as STUN, so
      // the pair may be learned through it and read as P2P rather than LAN.
      expect(["lan", "p2p"]).toContain(await waitForPathKind(guest));
    } finally {
      await guest.close();
    }
  });

  flow("signs in as the owner and plays the camera from its page", async () => {
    await signIn(page, stack.url, stack.camera.owner!.email, stack.camera.owner!.password);
    await watchSignedIn(page);
    await expectLivePicture(page);
    expect(await decodedCodec(page)).toBe(EXPECTED_CODEC[engine]);
    // The camera agrees: it sent this session the stream in that codec.
    const sessionId = await sessionIdOf(page);
    const media = stack.logs.find((l) => l.includes('"event":"session_media"') && l.includes(`"sessionId":"${sessionId}"`) && l.includes('"kind":"video"'));
    expect(media, `no session_media video line for ${sessionId}`).toContain(`"codec":"${EXPECTED_CODEC[engine]}"`);
  });

  flow("holding the PTZ right button pans the picture left, and the camera answers ptz.home ok", async () => {
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
    const id = await sessionIdOf(page);
    await page.click(testId("quality-hd"));
    await waitForVideoSize(page, testId("video"), 1280, 720, 20_000);
    await page.click(testId("quality-sd"));
    await waitForVideoSize(page, testId("video"), 640, 360, 20_000);
    expect(await sessionIdOf(page)).toBe(id);
    expect(await decodedCodec(page)).toBe(EXPECTED_CODEC[engine]);
  });

  flow("downloads a snapshot as a valid JPEG the size of the video, named after the camera and the time", async () => {
    const { name, bytes } = await page.download(testId("snapshot-button"), 20_000);
    expect(name).toMatch(new RegExp(`^${stack.camera.serial}-\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}\\.jpg$`));
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
    const video = await page.$eval(testId("video"), (v) => ({ width: (v as HTMLVideoElement).videoWidth, height: (v as HTMLVideoElement).videoHeight }));
    expect(video.width).toBeGreaterThan(0);
    expect(readJpegInfo(bytes)).toMatchObject(video);
  });

  flow("sends the held Talk button's microphone to the camera, which writes real sound as Ogg Opus", async () => {
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
    expect((await playbackProgress(page, testId("video"))).frames).toBeGreaterThan(liveBefore.frames + 10);
    expect(await page.evaluate((sel) => document.querySelectorAll(sel).length, testId("playback-error"))).toBe(0);
    await page.click(testId("playback-live"));
    await page.waitForSelector(testId("playback-video"), { state: "detached", timeout: 5_000 });
  });

  flow("watches over a forced TURN relay (?relay=1) with this session's credentials, and PTZ answers on it", async () => {
    await watchSignedIn(page, "?relay=1");
    await expectLivePicture(page);
    expect(await waitForPathKind(page)).toBe("relay");
    const state = (await readState(page)) as Awaited<ReturnType<typeof readState>> & { relayReason?: string | null };
    expect(state.relayReason).toBe(RELAY_REASONS.forced);
    expect(await page.textContent(testId("path-label"))).toMatch(/Relay/);
    // The edge minted this session's TURN credentials: coturn saw an allocation for "<exp>:<sid>".
    const sessionId = await sessionIdOf(page);
    expect(stack.coturn!.log()).toMatch(new RegExp(`username=<\\d+:${sessionId}>`));
    expect(await decodedCodec(page)).toBe(EXPECTED_CODEC[engine]);
    // The control channel rides the same relayed DTLS association.
    const status = await pageControl(page, "ptz.status", {});
    expect(status.ok, JSON.stringify(status)).toBe(true);
    const move = await pageControl(page, "ptz.move", { pan: 0.5, tilt: 0, zoom: 0, timeoutMs: 300 });
    expect(move.ok, JSON.stringify(move)).toBe(true);
    expect((await readState(page)).pathKind).toBe("relay");
  });
});
