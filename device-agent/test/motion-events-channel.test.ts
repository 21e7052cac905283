// Motion events as a viewer gets them over real WebRTC data channels: the demo clip (testsrc2,
// which moves all the time) is decoded by the detector's ffmpeg and makes an event; a viewer lists
// it with events.list on the control channel, receives the motion.event push, and fetches its JPEG
// on the bulk channel; a guest (no playback) is refused.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RTCDataChannel } from "werift";
import { decodeBulkFrame, DcResponseSchema, MotionEventSchema, type MotionEvent } from "../../protocol/index.ts";
import { createCameraControls, type CameraControls } from "../src/controls/camera-controls.ts";
import { defaultSettings, openSettingsStore } from "../src/controls/settings/settings-store.ts";
import { looksLikeJpeg, readJpegInfo } from "../src/controls/snapshot/jpeg-info.ts";
import { silentLogger } from "../src/log.ts";
import { createDemoSource } from "../src/media/demo-source.ts";
import { ffmpegAvailable } from "../src/media/ffmpeg-source.ts";
import { createMediaHub, type MediaHub } from "../src/media/media-hub.ts";
import type { MediaSource } from "../src/media/source.ts";
import { motionFeature } from "../src/motion/motion-feature.ts";
import { connectLoopback, waitFor } from "./loopback-viewer.ts";

let source: MediaSource;
let hub: MediaHub;
let controls: CameraControls;
let dataDir: string;

beforeAll(async () => {
  if (!ffmpegAvailable()) throw new Error('ffmpeg is not installed: these tests need the Debian package "ffmpeg" (apt-get install ffmpeg).');
  dataDir = mkdtempSync(path.join(tmpdir(), "porthole-motion-dc-"));
  source = createDemoSource({ audio: false });
  hub = createMediaHub(source);
  const settings = openSettingsStore(dataDir, defaultSettings("Motion cam"));
  controls = createCameraControls([motionFeature({ dataDir, hub, settings })], silentLogger);
});

afterAll(async () => {
  await controls?.stop();
  hub?.close();
  await source?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function collect(dc: RTCDataChannel): Array<Record<string, any>> {
  const got: Array<Record<string, any>> = [];
  dc.onMessage.subscribe((m) => typeof m === "string" && got.push(JSON.parse(m)));
  return got;
}

describe("motion events over the data channel", () => {
  it("lists the demo camera's event, pushes it, and sends its JPEG on the bulk channel", { timeout: 30_000 }, async () => {
    const pair = await connectLoopback(hub, "both", { controls, role: "viewer" });
    try {
      const [dc, bulk] = await Promise.all([pair.channel, pair.bulk]);
      await waitFor(() => dc.readyState === "open" && bulk.readyState === "open", 10_000, "channels open");
      const got = collect(dc);
      // The camera starts seeing once the viewer is there, so the push cannot come before it.
      await source.start();
      // The detector needs the first keyframe and ~0.4 s of motion; the thumbnail one ffmpeg run more.
      await waitFor(() => got.some((m) => m.type === "event" && m.event === "motion.event" && m.data.thumbnail), 15_000, "a motion.event with its thumbnail");
      const pushed = MotionEventSchema.parse(got.find((m) => m.type === "event" && m.event === "motion.event")!.data);

      dc.send(JSON.stringify({ type: "req", id: 1, method: "events.list", params: { from: Date.now() - 60_000, to: Date.now() } }));
      await waitFor(() => got.some((m) => m.type === "res" && m.id === 1), 10_000, "events.list reply");
      const list = DcResponseSchema.parse(got.find((m) => m.type === "res" && m.id === 1));
      expect(list.ok).toBe(true);
      const events = (list as { result: { events: MotionEvent[]; more: boolean } }).result.events;
      expect(events.map((e) => e.id)).toEqual([pushed.id]);

      const chunks: Uint8Array[] = [];
      let last = false;
      bulk.onMessage.subscribe((m) => {
        if (typeof m === "string") return;
        const f = decodeBulkFrame(new Uint8Array(m))!;
        chunks.push(f.payload);
        last ||= f.last;
      });
      dc.send(JSON.stringify({ type: "req", id: 2, method: "events.thumbnail", params: { id: pushed.id } }));
      await waitFor(() => last && got.some((m) => m.type === "res" && m.id === 2), 10_000, "thumbnail transfer and reply");
      const reply = got.find((m) => m.type === "res" && m.id === 2)!;
      expect(reply).toMatchObject({ ok: true, result: { mime: "image/jpeg", width: 640, height: 360 } });
      const jpeg = Buffer.concat(chunks);
      expect(jpeg.length).toBe(reply.result.bytes);
      expect(looksLikeJpeg(jpeg)).toBe(true);
      expect(readJpegInfo(jpeg)).toMatchObject({ width: 640, height: 360 });
    } finally {
      await pair.close();
    }
  });

  it("refuses a guest the event list and the thumbnails (playback)", async () => {
    const pair = await connectLoopback(hub, "both", { controls, role: "guest" });
    try {
      const dc = await pair.channel;
      await waitFor(() => dc.readyState === "open", 10_000, "control channel open");
      const got = collect(dc);
      dc.send(JSON.stringify({ type: "req", id: 7, method: "events.list", params: { from: 0, to: Date.now() } }));
      dc.send(JSON.stringify({ type: "req", id: 8, method: "events.thumbnail", params: { id: "m1-abcdef" } }));
      await waitFor(() => got.filter((m) => m.type === "res").length >= 2, 10_000, "two replies");
      for (const id of [7, 8]) expect(got).toContainEqual(expect.objectContaining({ id, ok: false, error: expect.objectContaining({ code: "forbidden" }) }));
      expect(got.some((m) => m.type === "event" && m.event === "motion.event")).toBe(false);
    } finally {
      await pair.close();
    }
  });
});
