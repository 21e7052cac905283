import { describe, expect, it } from "vitest";
import type { MediaPacket } from "../../media/packet.ts";
import { packetizeH264AccessUnit } from "../../rtp/h264-packetizer.ts";
import { gopToAnnexB } from "./gop-annexb.ts";

const nal = (type: number, size: number) => Buffer.concat([Buffer.from([0x60 | type]), Buffer.alloc(size - 1, type)]);
const packets = (nals: Buffer[], timestamp: number, keyframe = false): MediaPacket[] => {
  const payloads = packetizeH264AccessUnit(nals);
  return payloads.map((payload, i) => ({ codec: "H264", payload, timestamp, marker: i === payloads.length - 1, keyframeStart: keyframe && i === 0 }));
};

describe("keyframe cache to Annex B", () => {
  it("rebuilds whole frames from the IDR on, fragmented slices included", () => {
    const idr = [nal(7, 12), nal(8, 4), nal(5, 4000)];
    const p1 = [nal(1, 1500)];
    const p2 = [nal(1, 300)];
    const gop = gopToAnnexB([...packets(idr, 0, true), ...packets(p1, 6000), ...packets(p2, 12000)]);
    expect(gop?.frames).toBe(3);
    const expected = Buffer.concat([...idr, ...p1, ...p2].flatMap((n) => [Buffer.from([0, 0, 0, 1]), n]));
    expect(gop?.annexB.equals(expected)).toBe(true);
  });

  it("leaves out frames before the first IDR and a last frame whose marker has not arrived", () => {
    const before = packets([nal(1, 50)], 0);
    const idr = packets([nal(7, 12), nal(8, 4), nal(5, 80)], 3000, true);
    const partial = packets([nal(1, 3000)], 6000).slice(0, 1);
    const gop = gopToAnnexB([...before, ...idr, ...partial]);
    expect(gop?.frames).toBe(1);
    expect(gop?.annexB.subarray(4, 5)[0]! & 0x1f).toBe(7);
  });

  it("has nothing to decode without a keyframe", () => {
    expect(gopToAnnexB([])).toBeNull();
    expect(gopToAnnexB(packets([nal(1, 50)], 0))).toBeNull();
  });
});
