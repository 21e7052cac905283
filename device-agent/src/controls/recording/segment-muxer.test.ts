import { describe, expect, it } from "vitest";
import { mp4MimeType, scanFragmentedMp4 } from "./fmp4-scan.ts";
import { avccSample, createSegmentMuxer, rtpDelta, type VideoFrame } from "./segment-muxer.ts";

const SPS = Buffer.from("6742c01fd900a02ff970110000030001000003001e8f183248", "hex");
const PPS = Buffer.from("68ce3c80", "hex");
const frame = (ts: number, idr = false): VideoFrame => ({ ts: ts >>> 0, nals: [Buffer.from([idr ? 0x65 : 0x41, 1, 2, 3])], idr });
const opts = { video: { sps: SPS, pps: PPS, width: 640, height: 360 }, audio: null };

function mux(frames: VideoFrame[], endTs?: number): { file: Buffer; fragmentsOut: number; ticks: number } {
  const m = createSegmentMuxer(frames[0]!, opts);
  const parts = [m.init];
  for (const f of frames.slice(1)) {
    const frag = m.pushVideo(f);
    if (frag) parts.push(frag);
  }
  const tail = m.finish(endTs);
  if (tail) parts.push(tail);
  return { file: Buffer.concat(parts), fragmentsOut: parts.length - 1, ticks: m.ticks };
}

describe("segment muxer", () => {
  it("closes a fragment before every keyframe and after one second of video", () => {
    // 3 s at 10 fps, keyframe at 2 s: fragments [0,1) [1,2) [2,3).
    const frames = Array.from({ length: 30 }, (_, i) => frame(i * 9000, i === 0 || i === 20));
    const { file, fragmentsOut, ticks } = mux(frames, 30 * 9000);
    expect(fragmentsOut).toBe(3);
    expect(ticks).toBe(270_000);
    expect(scanFragmentedMp4(file)).toEqual({ validBytes: file.length, fragments: 3, videoMs: 3000 });
    expect(mp4MimeType(file)).toBe('video/mp4; codecs="avc1.42c01f"');
  });

  it("times frames by RTP timestamp deltas across the 32-bit wrap", () => {
    const base = 0xffff_ff00;
    const { ticks } = mux([frame(base, true), frame(base + 6000), frame(base + 12000)], base + 18000);
    expect(ticks).toBe(18000);
    expect(rtpDelta(5, 0xffff_fffb)).toBe(10);
  });

  it("keeps time moving on a repeated timestamp and gives the last frame one frame's duration", () => {
    const { ticks } = mux([frame(0, true), frame(6000), frame(6000)]);
    expect(ticks).toBe(18000);
  });

  it("writes samples with 4-byte NAL lengths (ISO/IEC 14496-15)", () => {
    expect([...avccSample([Buffer.from([0x65, 9]), Buffer.from([6])])]).toEqual([0, 0, 0, 2, 0x65, 9, 0, 0, 0, 1, 6]);
  });

  it("drops audio before the segment's first frame and places the rest on the 48 kHz timeline", () => {
    const m = createSegmentMuxer(frame(0, true), { ...opts, audio: { channels: 2 } });
    const opus20ms = Buffer.from([0xfc, 0xff, 0xfe]); // TOC config 31: 20 ms CELT
    m.pushAudio(opus20ms, -960);
    m.pushAudio(opus20ms, 480);
    m.pushAudio(opus20ms, 1440);
    const file = Buffer.concat([m.init, m.finish(9000)!]);
    expect(mp4MimeType(file)).toBe('video/mp4; codecs="avc1.42c01f,opus"');
    // One audio traf: tfdt 480, two samples of 960.
    const tfdts = [...file.toString("latin1").matchAll(/tfdt/g)].map((x) => file.readBigUInt64BE(x.index + 8));
    expect(tfdts).toEqual([0n, 480n]);
    const truns = [...file.toString("latin1").matchAll(/trun/g)].map((x) => file.readUInt32BE(x.index + 8));
    expect(truns).toEqual([1, 2]);
  });
});
