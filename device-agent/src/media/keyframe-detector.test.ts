import { describe, expect, it } from "vitest";
import { createKeyframeDetector } from "./keyframe-detector.ts";

describe("keyframe detector for RTP from ffmpeg", () => {
  it("marks only the first H.264 packet of a keyframe access unit", () => {
    const d = createKeyframeDetector("H264");
    const sps = Buffer.from([0x67, 1]);
    const pps = Buffer.from([0x68, 1]);
    const idr = Buffer.from([0x65, 0x88]);
    expect([d(sps, 100), d(pps, 100), d(idr, 100), d(Buffer.from([0x41, 0x9a]), 200)]).toEqual([true, false, false, false]);
    // An IDR without in-band SPS (another encoder) still starts a keyframe.
    expect(d(idr, 300)).toBe(true);
  });
});
