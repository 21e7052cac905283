import { describe, expect, it } from "vitest";
import type { Quality } from "../../../../protocol/index.ts";
import { createLogger } from "../../log.ts";
import { createMediaHub, type MediaHub } from "../../media/media-hub.ts";
import type { MediaPacket, VideoCodecName } from "../../media/packet.ts";
import { createListeners, type MediaSource } from "../../media/source.ts";
import { fixedStream } from "../../webrtc/session-controls.ts";
import { createCameraControls, type CameraControls } from "../camera-controls.ts";
import { ControlFailure } from "../control-failure.ts";
import type { ControlSession } from "../control-session.ts";
import type { GopStream } from "./gop-annexb.ts";
import { SNAPSHOT_NOTE_NO_FFMPEG, SNAPSHOT_NOTE_NO_H264, SNAPSHOT_TRANSFER_BASE, snapshotFeature } from "./snapshot-feature.ts";

/** A tiny but well-formed JPEG header claiming 640x360. */
const FAKE_JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0x01, 0x68, 0x02, 0x80, 1, 1, 0x11, 0, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0x42, 0xff, 0xd9]);

function fakeSource(codecs: VideoCodecName[] = ["VP8", "H264"], qualities: Quality[] = ["sd"]): MediaSource & { push(p: MediaPacket): void } {
  const l = createListeners<[MediaPacket]>();
  return {
    description: "fake",
    videoCodecs: codecs,
    audio: false,
    qualities,
    start: async () => {},
    stop: async () => {},
    onPacket: (fn) => l.add(fn),
    onFatal: () => () => {},
    push: (p) => l.emit(p),
  };
}
const idr = (ts: number, quality: Quality = "sd"): MediaPacket[] => [
  { codec: "H264", quality, payload: Buffer.from([0x67, 1, 2, 3]), timestamp: ts, marker: false, keyframeStart: true },
  { codec: "H264", quality, payload: Buffer.from([0x68, 4]), timestamp: ts, marker: false, keyframeStart: false },
  { codec: "H264", quality, payload: Buffer.from([0x65, 9, 9, 9]), timestamp: ts, marker: true, keyframeStart: false },
];
const pFrame = (ts: number, quality: Quality = "sd"): MediaPacket => ({ codec: "H264", quality, payload: Buffer.from([0x41, 7, 7]), timestamp: ts, marker: true, keyframeStart: false });

function session(id: string, quality: Quality = "sd"): ControlSession & { sent: Array<{ transfer: number; bytes: Uint8Array }> } {
  const sent: Array<{ transfer: number; bytes: Uint8Array }> = [];
  return { sessionId: id, role: "viewer", label: id, emit() {}, stream: fixedStream(quality), sent, sendBulk: async (transfer, bytes) => void sent.push({ transfer, bytes }) };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function setup(o: { encode?: (g: GopStream) => Promise<Buffer>; ffmpeg?: boolean; codecs?: VideoCodecName[]; qualities?: Quality[]; keyframeWaitMs?: number } = {}) {
  const source = fakeSource(o.codecs, o.qualities);
  const hub: MediaHub = createMediaHub(source);
  const gops: GopStream[] = [];
  const controls: CameraControls = createCameraControls(
    [snapshotFeature({ hub, ffmpeg: o.ffmpeg ?? true, encode: o.encode ?? (async (g) => (gops.push(g), FAKE_JPEG)), keyframeWaitMs: o.keyframeWaitMs ?? 500 })],
    createLogger({ sink: () => {} }),
  );
  const take = (s: ControlSession) => controls.handlers["snapshot.take"]!({}, s);
  return { source, hub, controls, take, gops };
}

describe("snapshot feature", () => {
  it("sends the JPEG on the bulk channel and replies with its transfer id, size and dimensions", async () => {
    const t = setup();
    [...idr(1000), pFrame(7000), pFrame(13000)].forEach((p) => t.source.push(p));
    const a = session("a");
    const r = await t.take(a);
    expect(r).toEqual({ transfer: SNAPSHOT_TRANSFER_BASE, bytes: FAKE_JPEG.length, mime: "image/jpeg", width: 640, height: 360 });
    expect(a.sent).toEqual([{ transfer: SNAPSHOT_TRANSFER_BASE, bytes: FAKE_JPEG }]);
    // Decoded from the newest keyframe: all three frames of the cached GOP.
    expect(t.gops[0]?.frames).toBe(3);
    // The hub kept no subscriber behind.
    expect(t.hub.subscribers("H264")).toBe(0);
  });

  it("numbers transfers per session", async () => {
    const t = setup();
    idr(1000).forEach((p) => t.source.push(p));
    const a = session("a");
    const b = session("b");
    expect((await t.take(a)).transfer).toBe(SNAPSHOT_TRANSFER_BASE);
    expect((await t.take(a)).transfer).toBe(SNAPSHOT_TRANSFER_BASE + 1);
    expect((await t.take(b)).transfer).toBe(SNAPSHOT_TRANSFER_BASE);
  });

  it("serves two viewers asking at once from one decode", async () => {
    const gate = deferred<Buffer>();
    let calls = 0;
    const t = setup({ encode: () => (calls++, gate.promise) });
    idr(1000).forEach((p) => t.source.push(p));
    const a = session("a");
    const b = session("b");
    const both = Promise.all([t.take(a), t.take(b)]);
    await new Promise((r) => setTimeout(r, 10));
    gate.resolve(FAKE_JPEG);
    const [ra, rb] = await both;
    expect(calls).toBe(1);
    expect(ra.bytes).toBe(FAKE_JPEG.length);
    expect(rb.bytes).toBe(FAKE_JPEG.length);
    expect(a.sent).toHaveLength(1);
    expect(b.sent).toHaveLength(1);
  });

  it("refuses a second snapshot from the same viewer while the first is in flight, with busy", async () => {
    const gate = deferred<Buffer>();
    const t = setup({ encode: () => gate.promise });
    idr(1000).forEach((p) => t.source.push(p));
    const a = session("a");
    const first = t.take(a);
    await expect(t.take(a)).rejects.toMatchObject({ code: "busy" });
    gate.resolve(FAKE_JPEG);
    await first;
    await expect(t.take(a)).resolves.toMatchObject({ width: 640 });
  });

  it("takes the still from the stream the viewer watches (SD or HD)", async () => {
    const t = setup({ qualities: ["sd", "hd"] });
    idr(1000, "sd").forEach((p) => t.source.push(p));
    [...idr(2000, "hd"), pFrame(8000, "hd")].forEach((p) => t.source.push(p));
    await t.take(session("hd-viewer", "hd"));
    await t.take(session("sd-viewer", "sd"));
    // The HD cache holds two frames, the SD one one.
    expect(t.gops.map((g) => g.frames)).toEqual([2, 1]);
    expect(t.hub.subscribers("H264")).toBe(0);
  });

  it("waits for the next keyframe when the cache is empty, and answers timeout if none comes", async () => {
    const t = setup({ keyframeWaitMs: 300 });
    t.source.push(pFrame(1)); // no keyframe yet: nothing decodable
    const pending = t.take(session("a"));
    setTimeout(() => idr(5000).forEach((p) => t.source.push(p)), 50);
    await expect(pending).resolves.toMatchObject({ height: 360 });

    const empty = setup({ keyframeWaitMs: 100 });
    await expect(empty.take(session("b"))).rejects.toMatchObject({ code: "timeout" });
    expect(empty.hub.subscribers("H264")).toBe(0);
  });

  it("answers internal when the encoder returns something that is not a JPEG, and frees the viewer", async () => {
    let n = 0;
    const t = setup({ encode: async () => (n++ === 0 ? Buffer.from("not a jpeg") : FAKE_JPEG) });
    idr(1000).forEach((p) => t.source.push(p));
    const a = session("a");
    const err = await t.take(a).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlFailure);
    expect((err as ControlFailure).code).toBe("internal");
    expect(a.sent).toHaveLength(0);
    await expect(t.take(a)).resolves.toMatchObject({ width: 640 });
  });

  it("offers snapshots only with ffmpeg and an H.264 source, and says why not", async () => {
    expect(setup().controls.features).toMatchObject({ snapshot: true });
    const noFfmpeg = setup({ ffmpeg: false });
    expect(noFfmpeg.controls.features).toMatchObject({ snapshot: false, notes: [SNAPSHOT_NOTE_NO_FFMPEG] });
    await expect(noFfmpeg.take(session("a"))).rejects.toMatchObject({ code: "unsupported", message: SNAPSHOT_NOTE_NO_FFMPEG });
    expect(setup({ codecs: ["VP8"] }).controls.features).toMatchObject({ snapshot: false, notes: [SNAPSHOT_NOTE_NO_H264] });
  });
});
