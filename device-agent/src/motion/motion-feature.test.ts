import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { MotionEvent, SessionRole } from "../../../protocol/index.ts";
import { silentLogger } from "../log.ts";
import { createMediaHub } from "../media/media-hub.ts";
import { fakeSource } from "../../test/fake-source.ts";
import type { CameraEvent, CameraFeature, ControlsContext } from "../controls/camera-controls.ts";
import type { ControlSession } from "../controls/control-session.ts";
import { defaultSettings, openSettingsStore } from "../controls/settings/settings-store.ts";
import { GRAY_HEIGHT, GRAY_WIDTH } from "./gray-frames.ts";
import { EVENT_TRANSFER_BASE, motionFeature } from "./motion-feature.ts";

const T0 = 1_765_000_000_000;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const dirs: string[] = [];
const features: CameraFeature[] = [];
afterEach(async () => {
  for (const f of features.splice(0)) await f.stop?.();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A grey 64×36 frame with a bright 8×8 square at column x (no square: x < 0). */
function frame(x: number): Uint8Array {
  const f = new Uint8Array(GRAY_WIDTH * GRAY_HEIGHT).fill(60);
  if (x >= 0) for (let y = 14; y < 22; y++) for (let px = x; px < x + 8; px++) f[y * GRAY_WIDTH + px] = 230;
  return f;
}

function setup(options: { recording?: boolean; dataDir?: string } = {}) {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "porthole-motion-"));
  if (!options.dataDir) dirs.push(dataDir);
  const settings = openSettingsStore(dataDir, defaultSettings("cam"));
  const hub = createMediaHub(fakeSource().source);
  const broadcasts: Array<{ event: string; data: MotionEvent; to: SessionRole[] }> = [];
  const cameraEvents: CameraEvent[] = [];
  const sessions: ControlSession[] = [session("viewer"), session("guest")];
  const ctx: ControlsContext = {
    logger: silentLogger,
    sessions: () => sessions,
    broadcast: (event, data, filter) =>
      void broadcasts.push({ event, data: (typeof data === "function" ? data(sessions[0]!) : data) as unknown as MotionEvent, to: sessions.filter((s) => !filter || filter(s)).map((s) => s.role) }),
    cameraEvent: (e) => void cameraEvents.push(e),
  };
  let push: ((f: Uint8Array, at: number) => void) | null = null;
  let detectorRunning = false;
  const f = motionFeature({
    dataDir,
    hub,
    settings,
    ffmpeg: true,
    recordingActive: () => options.recording ?? false,
    frames: (onFrame) => {
      push = onFrame;
      detectorRunning = true;
      return { pid: undefined, stop: async () => void (detectorRunning = false) };
    },
    thumbnail: async () => ({ jpeg: JPEG, width: 640, height: 360 }),
    now: () => T0 + 60_000,
  })(ctx);
  features.push(f);
  /** Frames every 200 ms from `from` (ms after T0) to before `to`; `x(t)` places the square. */
  const play = (from: number, to: number, x: (t: number) => number) => {
    for (let t = from; t < to; t += 200) push?.(frame(x(t)), T0 + t);
  };
  return { f, dataDir, settings, broadcasts, cameraEvents, play, running: () => detectorRunning };
}

function session(role: SessionRole) {
  const sent: Array<{ transfer: number; bytes: Uint8Array }> = [];
  const s: ControlSession = {
    sessionId: role,
    role,
    label: role,
    emit() {},
    sendBulk: async (transfer, bytes) => void sent.push({ transfer, bytes }),
    stream: { quality: "sd", setQuality: async () => ({ width: 640, height: 360, fps: 15, bitrateKbps: 600 }) },
  };
  return Object.assign(s, { sent });
}

const settle = () => new Promise((r) => setTimeout(r, 20));
const still = () => 10;
/** Moves 3 px a frame from 2 s to 5 s after T0, still before and after. */
const movesFrom2To5 = (t: number) => (t < 2000 ? 10 : t < 5000 ? 10 + Math.round(((t - 2000) / 200) * 3) : 10 + 45);

describe("motion feature", () => {
  it("cuts exactly one event with a thumbnail from a pattern that moves and stops, and tells the edge once", async () => {
    const m = setup();
    m.play(0, 12_000, movesFrom2To5);
    await settle();
    const list = await m.f.handlers["events.list"]!({ from: T0, to: T0 + 60_000 }, session("viewer"));
    expect(list.more).toBe(false);
    expect(list.events).toHaveLength(1);
    const e = list.events[0]!;
    expect(e).toMatchObject({ kind: "motion", start: T0 + 2200, end: T0 + 5000, thumbnail: { bytes: JPEG.length, width: 640, height: 360 }, recording: null });
    expect(m.cameraEvents).toEqual([{ id: e.id, kind: "motion", startedAt: new Date(T0 + 2200).toISOString() }]);
  });

  it("makes no event from a still picture", async () => {
    const m = setup();
    m.play(0, 30_000, still);
    await settle();
    expect((await m.f.handlers["events.list"]!({ from: 0, to: T0 * 2 }, session("viewer"))).events).toEqual([]);
    expect(m.cameraEvents).toEqual([]);
  });

  it("pushes the event's start, thumbnail and end to viewers with playback only", async () => {
    const m = setup();
    m.play(0, 3_000, movesFrom2To5);
    await settle();
    m.play(3_000, 12_000, movesFrom2To5);
    const pushed = m.broadcasts.filter((b) => b.event === "motion.event");
    expect(pushed.map((b) => [b.data.end !== null, b.data.thumbnail !== null])).toEqual([[false, false], [false, true], [true, true]]);
    for (const b of pushed) expect(b.to).toEqual(["viewer"]);
  });

  it("sends the thumbnail on the bulk channel in the events' transfer range", async () => {
    const m = setup();
    m.play(0, 12_000, movesFrom2To5);
    await settle();
    const [e] = (await m.f.handlers["events.list"]!({ from: 0, to: T0 * 2 }, session("viewer"))).events;
    const s = session("viewer");
    const r = await m.f.handlers["events.thumbnail"]!({ id: e!.id }, s);
    expect(r).toEqual({ transfer: EVENT_TRANSFER_BASE, bytes: JPEG.length, mime: "image/jpeg", width: 640, height: 360 });
    expect(Buffer.from(s.sent[0]!.bytes).equals(JPEG)).toBe(true);
    await expect(m.f.handlers["events.thumbnail"]!({ id: "m0-000000" }, s)).rejects.toMatchObject({ code: "not_found" });
  });

  it("names the recorded span when the camera records", async () => {
    const m = setup({ recording: true });
    m.play(0, 12_000, movesFrom2To5);
    await settle();
    const [e] = (await m.f.handlers["events.list"]!({ from: 0, to: T0 * 2 }, session("viewer"))).events;
    expect(e!.recording).toEqual({ from: T0 + 2200, to: T0 + 5000 });
  });

  it("stops the detector when the owner turns motion detection off, and watches only the zones", async () => {
    const m = setup();
    expect(m.running()).toBe(true);
    m.settings.update({ motion: { enabled: false } });
    expect(m.running()).toBe(false);
    m.settings.update({ motion: { enabled: true, zones: [{ x: 0, y: 0, w: 1, h: 0.25 }] } });
    expect(m.running()).toBe(true);
    // The square moves in rows 14..21 of 36: below the zone.
    m.play(0, 12_000, movesFrom2To5);
    await settle();
    expect(m.cameraEvents).toEqual([]);
  });

  it("keeps events across a restart and closes one a crash left open", async () => {
    const m = setup();
    m.play(0, 3_000, movesFrom2To5);
    await settle();
    expect(m.cameraEvents).toHaveLength(1);
    const again = setup({ dataDir: m.dataDir });
    const [e] = (await again.f.handlers["events.list"]!({ from: 0, to: T0 * 2 }, session("viewer"))).events;
    expect(e).toMatchObject({ id: m.cameraEvents[0]!.id, start: T0 + 2200, end: T0 + 2200 });
    expect(existsSync(path.join(m.dataDir, "events", `${e!.id}.jpg`))).toBe(true);
  });

  it("refuses a time range that ends before it starts", async () => {
    const m = setup();
    await expect(m.f.handlers["events.list"]!({ from: 2, to: 1 }, session("viewer"))).rejects.toMatchObject({ code: "invalid_value", field: "to" });
  });
});
