import { describe, expect, it } from "vitest";
import { packetizeVp8Frame, parseVp8Descriptor, vp8PayloadStartsKeyframe } from "./vp8-packetizer.ts";

const keyframe = (size: number): Buffer => {
  const b = Buffer.alloc(size, 0x11);
  b[0] = 0x10; // P bit (bit 0) clear: key frame
  return b;
};

describe("VP8 packetizer (RFC 7741)", () => {
  it("sets S only on the first packet and always uses partition index 0", () => {
    const out = packetizeVp8Frame(keyframe(3000), 5, 1200);
    expect(out.length).toBe(3);
    out.forEach((p, i) => {
      const d = parseVp8Descriptor(p);
      expect(d.start).toBe(i === 0);
      expect(d.partitionId).toBe(0);
      expect(d.headerLength).toBe(4);
      expect(p.length).toBeLessThanOrEqual(1200);
    });
    expect(Buffer.concat(out.map((p) => p.subarray(4))).equals(keyframe(3000))).toBe(true);
  });

  it("writes a 15-bit picture id with the M bit, wrapping at 2^15", () => {
    const [p] = packetizeVp8Frame(keyframe(10), 0x8001);
    expect(p![0]).toBe(0x90); // X and S
    expect(p![1]).toBe(0x80); // I
    expect(((p![2]! & 0x7f) << 8) | p![3]!).toBe(1);
    expect(p![2]! & 0x80).toBe(0x80);
  });

  it("detects a keyframe only on the first packet of a key frame", () => {
    const out = packetizeVp8Frame(keyframe(3000), 1);
    expect(vp8PayloadStartsKeyframe(out[0]!)).toBe(true);
    expect(vp8PayloadStartsKeyframe(out[1]!)).toBe(false);
    const inter = Buffer.from(keyframe(100));
    inter[0] = 0x11;
    expect(vp8PayloadStartsKeyframe(packetizeVp8Frame(inter, 2)[0]!)).toBe(false);
  });

  it("parses the minimal one-byte descriptor ffmpeg sends", () => {
    const p = Buffer.from([0x10, 0x10, 0, 0]);
    expect(parseVp8Descriptor(p)).toEqual({ start: true, partitionId: 0, headerLength: 1 });
    expect(vp8PayloadStartsKeyframe(p)).toBe(true);
  });
});
