// Integration: motion events on real parts — a clip ffmpeg encodes (a grey scene with sensor-like
// noise, and a white square that moves and stops), played as the agent's H.264 RTP, decoded to
// grey frames by the detector's ffmpeg, cut into events, and given a JPEG by the snapshot path.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceEventSchema, type MotionEvent } from "../../protocol/index.ts";
import { createCameraControls, type CameraEvent } from "../src/controls/camera-controls.ts";
import type { ControlSession } from "../src/controls/control-session.ts";
import { defaultSettings, openSettingsStore } from "../src/controls/settings/settings-store.ts";
import { looksLikeJpeg, readJpegInfo } from "../src/controls/snapshot/jpeg-info.ts";
import { silentLogger } from "../src/log.ts";
import { ffmpegAvailable } from "../src/media/ffmpeg-source.ts";
import { createMediaHub } from "../src/media/media-hub.ts";
import { motionFeature } from "../src/motion/motion-feature.ts";
import { h264FileSource } from "./h264-file-source.ts";

const FPS = 15;
const dirs: string[] = [];

let moving: Buffer;
let still: Buffer;
beforeAll(() => {
  if (!ffmpegAvailable()) throw new Error('ffmpeg is not installed: these tests need the Debian package "ffmpeg" (apt-get install ffmpeg).');
  // Encoded up front: a synchronous encode while the other camera plays would stall its clock.
  moving = encodeClip(true);
  still = encodeClip(false);
});
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** 14 s of 320×180 H.264 (Annex B): grey with temporal noise; the square moves from 2 s to 4.5 s when `moving`. */
function encodeClip(moving: boolean): Buffer {
  const x = moving ? "if(lt(t,2),20,if(lt(t,4.5),20+(t-2)*90,245))" : "20";
  const graph =
    `color=c=0x505050:s=320x180:r=${FPS}:d=14[bg];color=c=white:s=48x48:r=${FPS}[box];` +
    `[bg][box]overlay=x='${x}':y=66:shortest=1,noise=alls=6:allf=t,format=yuv420p`;
  const r = spawnSync("ffmpeg", [
    "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", graph,
    "-c:v", "libx264", "-profile:v", "baseline", "-tune", "zerolatency", "-preset", "veryfast", "-bf", "0", "-b:v", "300k",
    "-g", String(FPS), "-x264-params", "repeat-headers=1", "-f", "h264", "pipe:1",
  ], { maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`ffmpeg could not make the test clip: ${r.stderr.toString()}`);
  return r.stdout;
}

function viewer() {
  const sent: Uint8Array[] = [];
  const s: ControlSession = {
    sessionId: "v1",
    role: "viewer",
    label: "viewer",
    emit() {},
    sendBulk: async (_t, bytes) => void sent.push(bytes),
    stream: { quality: "sd", setQuality: async () => ({ width: 320, height: 180, fps: FPS, bitrateKbps: 300 }) },
  };
  return Object.assign(s, { sent });
}

/** Runs a camera on `clip` for `ms`; returns what the edge was told and what the camera kept. */
async function runCamera(clip: Buffer, ms: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "porthole-motion-it-"));
  dirs.push(dataDir);
  const source = h264FileSource(clip, FPS);
  const hub = createMediaHub(source);
  const settings = openSettingsStore(dataDir, defaultSettings("cam"));
  const controls = createCameraControls([motionFeature({ dataDir, hub, settings })], silentLogger);
  const told: Array<{ event: CameraEvent; at: number }> = [];
  controls.onCameraEvent((event) => told.push({ event, at: Date.now() }));
  await source.start();
  try {
    await new Promise((r) => setTimeout(r, ms));
    const s = viewer();
    const list = await controls.handlers["events.list"]!({ from: 0, to: Date.now() + 1000 }, s);
    // Each thumbnail as a viewer gets it: on the bulk channel.
    const thumbs: Buffer[] = [];
    for (const e of list.events) {
      const r = await controls.handlers["events.thumbnail"]!({ id: e.id }, s);
      const jpeg = Buffer.from(s.sent.at(-1)!);
      expect(jpeg.length).toBe(r.bytes);
      thumbs.push(jpeg);
    }
    return { told, events: list.events as MotionEvent[], thumbs, startedAt: source.startedAt };
  } finally {
    await controls.stop();
    await source.stop();
    hub.close();
  }
}

describe("motion events from a real H.264 source", () => {
  it.concurrent("a square that moves for 2.5 s and stops makes exactly one event with a JPEG thumbnail, told to the edge within a few seconds", { timeout: 40_000 }, async () => {
    const run = await runCamera(moving, 11_000);
    expect(run.events).toHaveLength(1);
    const e = run.events[0]!;
    // Motion runs from 2 s to 4.5 s of the clip: the event spans (roughly) that.
    expect(e.start - run.startedAt).toBeGreaterThan(1_500);
    expect(e.start - run.startedAt).toBeLessThan(3_500);
    expect(e.end).not.toBeNull();
    expect(e.end! - run.startedAt).toBeGreaterThan(3_800);
    expect(e.end! - run.startedAt).toBeLessThan(6_000);
    expect(e.thumbnail).toMatchObject({ width: 320, height: 180 });
    expect(looksLikeJpeg(run.thumbs[0]!)).toBe(true);
    expect(readJpegInfo(run.thumbs[0]!)).toMatchObject({ width: 320, height: 180 });
    // The edge got one frame, names and time only, within a few seconds of the motion starting.
    expect(run.told).toHaveLength(1);
    expect(DeviceEventSchema.parse({ type: "event", event: run.told[0]!.event }).event).toEqual({ id: e.id, kind: "motion", startedAt: new Date(e.start).toISOString() });
    expect(run.told[0]!.at - run.startedAt).toBeLessThan(2_000 + 3_000);
  });

  it.concurrent("a still, noisy picture makes no event", { timeout: 40_000 }, async () => {
    const run = await runCamera(still, 8_000);
    expect(run.events).toEqual([]);
    expect(run.told).toEqual([]);
  });
});
