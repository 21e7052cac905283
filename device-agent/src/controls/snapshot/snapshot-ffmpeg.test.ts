// Integration: the snapshot pipeline on real parts — the shipped demo clip packetized as the
// agent sends it (RFC 6184), depacketized, and decoded by the host's ffmpeg.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDemoClip } from "../../media/demo-source.ts";
import { ffmpegAvailable } from "../../media/ffmpeg-source.ts";
import type { MediaPacket } from "../../media/packet.ts";
import { packetizeH264AccessUnit } from "../../rtp/h264-packetizer.ts";
import { createLogger } from "../../log.ts";
import { createMediaHub } from "../../media/media-hub.ts";
import { createListeners } from "../../media/source.ts";
import { fixedStream } from "../../webrtc/session-controls.ts";
import { createCameraControls } from "../camera-controls.ts";
import type { ControlSession } from "../control-session.ts";
import { encodeLastFrameJpeg } from "./ffmpeg-jpeg.ts";
import { gopToAnnexB } from "./gop-annexb.ts";
import { looksLikeJpeg, readJpegInfo } from "./jpeg-info.ts";
import { snapshotFeature } from "./snapshot-feature.ts";

/** The first `frames` frames of the demo clip as the media hub holds them (RTP payloads). */
function demoPackets(frames: number): MediaPacket[] {
  const clip = loadDemoClip();
  return clip.h264.slice(0, frames).flatMap((au, i) => {
    const payloads = packetizeH264AccessUnit(au);
    return payloads.map((payload, j) => ({ codec: "H264" as const, payload, timestamp: i * 6000, marker: j === payloads.length - 1, keyframeStart: i === 0 && j === 0 }));
  });
}

beforeAll(() => {
  if (!ffmpegAvailable()) throw new Error('ffmpeg is not installed: these tests need the Debian package "ffmpeg" (npm test installs it when run as root).');
});

describe("snapshot decode with ffmpeg", () => {
  it("makes a valid 640x360 JPEG from a few packetized frames of the demo clip", async () => {
    const gop = gopToAnnexB(demoPackets(5));
    expect(gop?.frames).toBe(5);
    const jpeg = await encodeLastFrameJpeg(gop!);
    expect(looksLikeJpeg(jpeg)).toBe(true);
    expect(readJpegInfo(jpeg)).toMatchObject({ width: 640, height: 360 });
  });

  it("encodes the newest frame, identical to the last frame of a full decode", async () => {
    const gop = gopToAnnexB(demoPackets(12))!;
    const jpeg = await encodeLastFrameJpeg(gop);
    // Independent reference: ffmpeg writes every frame to files with the same encoder settings.
    const dir = mkdtempSync(path.join(tmpdir(), "porthole-snap-"));
    try {
      const r = spawnSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "h264", "-i", "pipe:0", "-vf", "format=yuvj420p", "-fps_mode", "passthrough", "-c:v", "mjpeg", "-q:v", "3", path.join(dir, "f-%03d.jpg")], { input: gop.annexB });
      expect(r.status, r.stderr?.toString()).toBe(0);
      const files = readdirSync(dir).sort();
      expect(files).toHaveLength(12);
      expect(jpeg.equals(readFileSync(path.join(dir, files[11]!)))).toBe(true);
      expect(jpeg.equals(readFileSync(path.join(dir, files[0]!)))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails with a stable code when ffmpeg is missing or the stream is garbage", async () => {
    const gop = gopToAnnexB(demoPackets(2))!;
    await expect(encodeLastFrameJpeg(gop, { ffmpegPath: "/nonexistent/ffmpeg" })).rejects.toMatchObject({ code: "unsupported" });
    const garbage = { annexB: Buffer.concat([Buffer.from([0, 0, 0, 1, 0x65]), Buffer.alloc(2000, 0x5a)]), frames: 1 };
    await expect(encodeLastFrameJpeg(garbage)).rejects.toMatchObject({ code: "internal" });
  });

  it("kills ffmpeg at the deadline and answers timeout", async () => {
    const gop = gopToAnnexB(demoPackets(2))!;
    const t0 = Date.now();
    await expect(encodeLastFrameJpeg(gop, { timeoutMs: 1 })).rejects.toMatchObject({ code: "timeout" });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("refuses a JPEG above the size cap", async () => {
    const gop = gopToAnnexB(demoPackets(2))!;
    await expect(encodeLastFrameJpeg(gop, { maxBytes: 1000 })).rejects.toMatchObject({ code: "internal", message: expect.stringMatching(/larger than 1000 bytes/) });
  });

  it("gives two viewers asking at once each a valid JPEG of the live picture", async () => {
    const packets = createListeners<[MediaPacket]>();
    const hub = createMediaHub({ description: "test", videoCodecs: ["H264"], audio: false, start: async () => {}, stop: async () => {}, onPacket: (fn) => packets.add(fn), onFatal: () => () => {} });
    const controls = createCameraControls([snapshotFeature({ hub })], createLogger({ sink: () => {} }));
    expect(controls.features.snapshot).toBe(true);
    for (const p of demoPackets(8)) packets.emit(p);
    const viewer = (id: string) => {
      const got: Uint8Array[] = [];
      const s: ControlSession = { sessionId: id, role: "viewer", label: id, emit() {}, stream: fixedStream(), sendBulk: async (_t, bytes) => void got.push(bytes) };
      return { s, got };
    };
    const a = viewer("a");
    const b = viewer("b");
    const take = controls.handlers["snapshot.take"]!;
    const [ra, rb] = await Promise.all([take({}, a.s), take({}, b.s)]);
    for (const [r, v] of [[ra, a], [rb, b]] as const) {
      expect(r).toMatchObject({ mime: "image/jpeg", width: 640, height: 360 });
      expect(v.got).toHaveLength(1);
      expect(v.got[0]!.byteLength).toBe(r.bytes);
      expect(looksLikeJpeg(v.got[0]!)).toBe(true);
    }
  });
});
