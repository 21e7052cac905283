// The PWA's recordings player (web/src/ui/controls/mse-playback.ts) in WebKitGTK with
// ManagedMediaSource — the only Media Source Extensions iPhone Safari has. WebKitGTK cannot
// open the camera's data channel (no WebRTC), so a small page (support/webkit-mse-harness.ts,
// bundled here with vite) gives the player VP8 WebM segments that ffmpeg made, over HTTP on
// 127.0.0.1. (Debian's WebKitGTK has no H.264 decoder, which the camera records; the container
// and codec are the engine's business, the MSE calls are the player's.)
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MissingOsPackagesError } from "../../scripts/lib/os-deps.ts";
import { REPO_ROOT, TMP_DIR } from "../../scripts/lib/paths.ts";
import type { HarnessProgress, HarnessSegment, HarnessStart } from "./support/webkit-mse-harness.ts";
import { launchWebKit, type LaunchedWebKit } from "./support/webkit-browser.ts";

const SEGMENT_MS = 2000;
const MIME = 'video/webm; codecs="vp8"';
/** A recording time well away from 0, as real listings have (Unix ms). */
const EPOCH = Date.UTC(2026, 10, 1, 12, 0, 0);

let dir: string;
let server: Server;
let baseUrl: string;
let webkit: LaunchedWebKit;
let segments: HarnessSegment[];

/** Three 2 s VP8 segments, each a different hue (they play back to back). */
function makeSegments(into: string): void {
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(
      "ffmpeg",
      ["-v", "error", "-y", "-f", "lavfi", "-i", `testsrc=size=320x240:rate=15,hue=h=${i * 120}`, "-t", "2", "-c:v", "libvpx", "-b:v", "300k", "-g", "15", "-deadline", "realtime", "-an", path.join(into, `seg${i}.webm`)],
      { encoding: "utf8" },
    );
    if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") throw new MissingOsPackagesError(["ffmpeg"], "The playback test makes its segments with ffmpeg.");
    if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  }
}

/** The harness page's script: the PWA's player and its imports in one ES module. */
async function bundleHarness(): Promise<string> {
  const out = await build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: "silent",
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(REPO_ROOT, "test/e2e/support/webkit-mse-harness.ts"), formats: ["es"], fileName: "harness" },
    },
  });
  const results = Array.isArray(out) ? out : [out];
  for (const r of results) {
    if (!("output" in r)) continue;
    for (const chunk of r.output) if (chunk.type === "chunk" && chunk.isEntry) return chunk.code;
  }
  throw new Error("vite built no entry chunk for the harness");
}

beforeAll(async () => {
  dir = path.join(TMP_DIR, `e2e-webkit-playback-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  makeSegments(dir);
  const script = await bundleHarness();
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end('<!doctype html><meta charset="utf-8"><title>player</title><body><script type="module" src="/harness.js"></script></body>');
    }
    if (url.pathname === "/harness.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      return res.end(script);
    }
    const m = /^\/seg([0-2])\.webm$/.exec(url.pathname);
    if (m) {
      res.writeHead(200, { "content-type": "video/webm" });
      return res.end(readFileSync(path.join(dir, `seg${m[1]}.webm`)));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the harness server has no port");
  baseUrl = `http://127.0.0.1:${address.port}`;
  segments = [0, 1, 2].map((i) => ({ url: `${baseUrl}/seg${i}.webm`, start: EPOCH + i * SEGMENT_MS, end: EPOCH + (i + 1) * SEGMENT_MS }));
  webkit = await launchWebKit();
  console.log(`[webkit] WebKitGTK ${webkit.version}`);
});

afterAll(async () => {
  await webkit?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openHarness(): Promise<void> {
  await webkit.session.goto(`${baseUrl}/`);
  await webkit.session.waitUntil("the harness script", async () => ((await webkit.session.execute<boolean>("return !!window.__harness;")) ? true : undefined), 10_000);
}

async function start(kind: "MediaSource" | "ManagedMediaSource", at: number, holdStreaming = false): Promise<HarnessStart> {
  return webkit.session.executeAsync<HarnessStart>(
    `const done = arguments[arguments.length - 1];
     window.__harness.start(arguments[0], arguments[1], arguments[2], arguments[3], arguments[4]).then(done, (e) => done({ error: String(e) }));`,
    kind,
    segments,
    MIME,
    at,
    holdStreaming,
  );
}

const progress = () => webkit.session.execute<HarnessProgress>("return window.__harness.progress();");

/** Waits until the playhead passes `seconds` (media time), failing with what the player said. */
async function playsPast(seconds: number, timeoutMs = 15_000): Promise<HarnessProgress> {
  let last: HarnessProgress | null = null;
  try {
    return await webkit.session.waitUntil(`the playhead to pass ${seconds} s`, async () => {
      last = await progress();
      return last.currentTime > seconds ? last : undefined;
    }, timeoutMs, 200);
  } catch (e) {
    throw new Error(`${(e as Error).message}; player: ${JSON.stringify(last)}`);
  }
}

describe("recordings playback in WebKitGTK", () => {
  it("plays recordings through ManagedMediaSource with remote playback disabled, fetching the next segment ahead", async () => {
    await openHarness();
    const started = await start("ManagedMediaSource", EPOCH + 500);
    // disableRemotePlayback: iPhone Safari opens a ManagedMediaSource only with it set.
    expect(started).toEqual({ mediaSource: "ManagedMediaSource", disableRemotePlayback: true, streaming: true });
    // Past the first segment's end: the second one was fetched while the source allowed streaming.
    const p = await playsPast(2.5);
    expect(p.errors).toEqual([]);
    expect(p.statuses).toContain("playing");
    expect(p.fetched.slice(0, 2)).toEqual([segments[0]!.url, segments[1]!.url]);
  });

  it("seeks to a later recording and plays on from there", async () => {
    await webkit.session.executeAsync(`const done = arguments[arguments.length - 1]; window.__harness.seek(arguments[0]).then(() => done(true), (e) => done(String(e)));`, EPOCH + 2 * SEGMENT_MS + 300);
    const p = await playsPast(4.6);
    expect(p.fetched).toContain(segments[2]!.url);
    expect(p.errors).toEqual([]);
  });

  it("stops at the end of the last recording and says so", async () => {
    const p = await webkit.session.waitUntil("the end of the recordings", async () => {
      const now = await progress();
      return now.statuses.at(-1) === "ended" ? now : undefined;
    }, 10_000, 200);
    expect(p.paused).toBe(true);
    expect(p.currentTime).toBeGreaterThan(5.5);
  });

  it("fetches nothing ahead while the managed source says streaming is unwelcome, and resumes on startstreaming", async () => {
    await openHarness();
    const started = await start("ManagedMediaSource", EPOCH + 500, true);
    expect(started.streaming).toBe(false);
    // The segment under the playhead loads (the person asked for it); nothing after it does.
    await new Promise((r) => setTimeout(r, 2500));
    const held = await progress();
    expect(held.fetched).toEqual([segments[0]!.url]);
    expect(held.currentTime).toBeLessThan(2.1);
    await webkit.session.execute("window.__harness.release();");
    const p = await playsPast(2.5);
    expect(p.fetched.slice(0, 2)).toEqual([segments[0]!.url, segments[1]!.url]);
    expect(p.errors).toEqual([]);
  });

  it("plays the same recordings through a plain MediaSource, as desktop browsers do", async () => {
    await openHarness();
    const started = await start("MediaSource", EPOCH + 500);
    expect(started).toMatchObject({ mediaSource: "MediaSource", streaming: null });
    // Left alone (WebKitGTK has no Remote Playback API, so the property is simply absent here).
    expect(started.disableRemotePlayback).not.toBe(true);
    const p = await playsPast(2.5);
    expect(p.errors).toEqual([]);
  });
});
