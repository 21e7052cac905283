import { describe, expect, it } from "vitest";
import { fragmentFuA, h264PayloadStartsKeyframe, packetizeH264AccessUnit } from "./h264-packetizer.ts";

const nal = (type: number, size: number, nri = 3): Buffer => {
  const b = Buffer.alloc(size, 0xab);
  b[0] = (nri << 5) | type;
  return b;
};

describe("H.264 packetizer (RFC 6184)", () => {
  it("sends a NAL that fits as one single-NAL-unit packet, unchanged", () => {
    const sps = nal(7, 20);
    const out = packetizeH264AccessUnit([sps, nal(8, 5), nal(5, 1200)]);
    expect(out).toHaveLength(3);
    expect(out[0]).toBe(sps);
  });

  it("fragments a large NAL into FU-A packets no bigger than the payload budget", () => {
    const idr = nal(5, 5000, 3);
    const out = fragmentFuA(idr, 1200);
    expect(out.length).toBe(Math.ceil(4999 / 1198));
    for (const p of out) expect(p.length).toBeLessThanOrEqual(1200);
    // FU indicator keeps F/NRI, type 28; FU header carries S/E and the original type.
    for (const p of out) expect(p[0]).toBe((3 << 5) | 28);
    expect(out[0]![1]).toBe(0x80 | 5);
    expect(out.at(-1)![1]).toBe(0x40 | 5);
    for (const p of out.slice(1, -1)) expect(p[1]).toBe(5);
    // Reassembly gives back the NAL body.
    const body = Buffer.concat(out.map((p) => p.subarray(2)));
    expect(body.equals(idr.subarray(1))).toBe(true);
  });

  it("makes fragments of nearly equal size instead of a tiny tail", () => {
    const out = fragmentFuA(nal(1, 1201), 1200);
    expect(out.map((p) => p.length)).toEqual([602, 602]);
  });

  it("drops access unit delimiters", () => {
    expect(packetizeH264AccessUnit([nal(9, 2), nal(1, 100)])).toHaveLength(1);
  });

  it("recognises keyframe starts in single NAL, STAP-A and FU-A payloads", () => {
    expect(h264PayloadStartsKeyframe(nal(7, 10))).toEqual({ sps: true, idrStart: false });
    expect(h264PayloadStartsKeyframe(fragmentFuA(nal(5, 3000))[0]!).idrStart).toBe(true);
    expect(h264PayloadStartsKeyframe(fragmentFuA(nal(5, 3000))[1]!).idrStart).toBe(false);
    expect(h264PayloadStartsKeyframe(fragmentFuA(nal(1, 3000))[0]!).idrStart).toBe(false);
    const sps = nal(7, 4);
    const stap = Buffer.concat([Buffer.from([24, 0, 4]), sps, Buffer.from([0, 2]), nal(8, 2)]);
    expect(h264PayloadStartsKeyframe(stap).sps).toBe(true);
  });
});
