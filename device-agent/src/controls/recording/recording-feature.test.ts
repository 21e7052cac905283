import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ControlEventName, RecordingState } from "../../../../protocol/index.ts";
import { silentLogger } from "../../log.ts";
import type { CameraFeature, ControlsContext } from "../camera-controls.ts";
import { ControlFailure } from "../control-failure.ts";
import type { ControlSession } from "../control-session.ts";
import { defaultSettings, openSettingsStore } from "../settings/settings-store.ts";
import { createClipHub } from "./fake-clip-hub.ts";
import { RECORDING_TRANSFER_BASE, recordingFeature } from "./recording-feature.ts";

const T0 = 1_764_000_000_000;
const dirs: string[] = [];
const features: CameraFeature[] = [];
afterEach(async () => {
  for (const f of features.splice(0)) await f.stop?.();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(mode: "off" | "continuous" | "on-demand", retentionMb = 1024) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "porthole-recf-"));
  dirs.push(dataDir);
  const settings = openSettingsStore(dataDir, defaultSettings("cam"));
  settings.update({ recording: { mode, retentionMb } });
  const clip = createClipHub({ startWall: T0 });
  const events: Array<{ event: ControlEventName; data: unknown }> = [];
  const ctx: ControlsContext = {
    logger: silentLogger,
    sessions: () => [],
    broadcast: (event, data) => void events.push({ event, data: typeof data === "function" ? null : data }),
  };
  const make = () => {
    const f = recordingFeature({ dataDir, hub: clip.hub, settings, segmentMs: 1_000, now: clip.now })(ctx);
    features.push(f);
    return f;
  };
  return { dataDir, settings, clip, events, make, recDir: path.join(dataDir, "recordings") };
}

function session() {
  const sent: Array<{ transfer: number; bytes: Uint8Array }> = [];
  const s: ControlSession = {
    sessionId: "s1",
    role: "owner",
    label: "owner",
    emit() {},
    sendBulk: async (transfer, bytes) => void sent.push({ transfer, bytes }),
    stream: { quality: "sd", setQuality: async () => ({ width: 640, height: 360, fps: 15, bitrateKbps: 600 }) },
  };
  return Object.assign(s, { sent });
}

const settle = () => new Promise((r) => setTimeout(r, 30));
/** Mode changes and segment writes are asynchronous (fsync): wait for their outcome, not a delay. */
const until = (fn: () => unknown | Promise<unknown>) => vi.waitFor(fn, { timeout: 5_000, interval: 10 });
const recording = (f: CameraFeature) => until(async () => expect((await f.handlers["recordings.list"]!({ from: 0, to: 1 }, session())).state.active).toBe(true));
const states = (events: Array<{ event: string; data: unknown }>) => events.filter((e) => e.event === "recording.state").map((e) => e.data as RecordingState);

describe("recording feature", () => {
  it("records continuously, lists segments by time range and reports the state", async () => {
    const t = setup("continuous");
    const f = t.make();
    await recording(f);
    t.clip.advance(13_000);
    const list = () => f.handlers["recordings.list"]!({ from: 0, to: Number.MAX_SAFE_INTEGER }, session());
    await until(async () => expect((await list()).segments.map((s) => s.start - T0)).toEqual([0, 6_000]));
    expect((await list()).state).toEqual({ mode: "continuous", active: true });
    const later = await f.handlers["recordings.list"]!({ from: T0 + 7_000, to: T0 + 8_000 }, session());
    expect(later.segments.map((s) => s.start - T0)).toEqual([6_000]);
    await expect(f.handlers["recordings.list"]!({ from: 10, to: 5 }, session())).rejects.toMatchObject({ code: "invalid_value", field: "to" });
  });

  it("sends a segment on the bulk channel after replying with its transfer id, size and MSE type", async () => {
    const t = setup("continuous");
    const f = t.make();
    await recording(f);
    t.clip.advance(7_000);
    await until(async () => expect((await f.handlers["recordings.list"]!({ from: 0, to: Infinity }, session())).segments).toHaveLength(1));
    const [seg] = (await f.handlers["recordings.list"]!({ from: 0, to: Infinity }, session())).segments;
    const s = session();
    const r = await f.handlers["recordings.fetch"]!({ id: seg!.id }, s);
    expect(r).toEqual({ transfer: RECORDING_TRANSFER_BASE, bytes: seg!.bytes, mime: 'video/mp4; codecs="avc1.42c01f,opus"' });
    expect(s.sent).toEqual([]); // streamed after the reply
    await until(() => expect(s.sent).toHaveLength(1));
    expect(s.sent.map((x) => [x.transfer, x.bytes.length])).toEqual([[RECORDING_TRANSFER_BASE, seg!.bytes]]);
    expect((await f.handlers["recordings.fetch"]!({ id: seg!.id }, s)).transfer).toBe(RECORDING_TRANSFER_BASE + 1);
  });

  it("refuses ids that are malformed or not in the listing, without touching other files", async () => {
    const t = setup("off");
    const f = t.make();
    writeFileSync(path.join(t.dataDir, "secret-1-2.mp4"), "x");
    const s = session();
    for (const id of ["../settings.json", "../secret-1-2", "1-2/../../x"]) {
      await expect(f.handlers["recordings.fetch"]!({ id }, s)).rejects.toMatchObject({ code: "invalid_value", field: "id" });
    }
    await expect(f.handlers["recordings.fetch"]!({ id: "1000-2000" }, s)).rejects.toBeInstanceOf(ControlFailure);
    await expect(f.handlers["recordings.fetch"]!({ id: "1000-2000" }, s)).rejects.toMatchObject({ code: "not_found" });
    expect(s.sent).toEqual([]);
  });

  it("records on demand between recordings.start and recordings.stop only", async () => {
    const t = setup("on-demand");
    const f = t.make();
    const s = session();
    t.clip.advance(7_000);
    await settle();
    expect(readdirSync(t.recDir)).toEqual([]);
    expect(await f.handlers["recordings.start"]!({}, s)).toEqual({ mode: "on-demand", active: true });
    t.clip.advance(7_000);
    expect(await f.handlers["recordings.stop"]!({}, s)).toEqual({ mode: "on-demand", active: false });
    t.clip.advance(7_000);
    await settle();
    const list = await f.handlers["recordings.list"]!({ from: 0, to: Infinity }, s);
    expect(list.segments.length).toBeGreaterThanOrEqual(1); // recordings.stop awaited the last write
    expect(Math.max(...list.segments.map((x) => x.end))).toBeLessThanOrEqual(T0 + 14_100);
    expect(states(t.events).map((x) => x.active)).toEqual([true, false]);
  });

  it("refuses recordings.start when recording is off and recordings.stop when it is continuous", async () => {
    const off = setup("off").make();
    await expect(off.handlers["recordings.start"]!({}, session())).rejects.toMatchObject({ code: "invalid_value", field: "recording.mode" });
    const cont = setup("continuous").make();
    await expect(cont.handlers["recordings.stop"]!({}, session())).rejects.toMatchObject({ code: "invalid_value", field: "recording.mode" });
  });

  it("starts and stops with the mode setting and tells every viewer", async () => {
    const t = setup("off");
    t.make();
    t.settings.update({ recording: { mode: "continuous" } });
    await until(() => expect(states(t.events).at(-1)).toEqual({ mode: "continuous", active: true }));
    t.clip.advance(7_000);
    t.settings.update({ recording: { mode: "off" } });
    await until(() => expect(states(t.events).at(-1)).toEqual({ mode: "off", active: false }));
    expect(states(t.events).some((x) => x.mode === "continuous" && x.active)).toBe(true);
    expect(readdirSync(t.recDir).filter((n) => n.endsWith(".mp4")).length).toBeGreaterThanOrEqual(1);
    expect(readdirSync(t.recDir).filter((n) => n.endsWith(".part"))).toEqual([]);
  });

  it("deletes the oldest segments beyond the retention limit at startup", () => {
    const t = setup("off", 16);
    mkdirSync(t.recDir, { recursive: true });
    for (const [i, name] of ["1000-2000.mp4", "2000-3000.mp4", "3000-4000.mp4"].entries()) {
      writeFileSync(path.join(t.recDir, name), "");
      truncateSync(path.join(t.recDir, name), (10 + i) * 1024 * 1024); // sparse: 10, 11, 12 MiB
    }
    t.make();
    expect(readdirSync(t.recDir)).toEqual(["3000-4000.mp4"]);
  });
});
