import { describe, expect, it } from "vitest";
import { createH264Depacketizer, accessUnitToAnnexB } from "./h264-depacketizer.ts";
import { packetizeH264AccessUnit } from "./h264-packetizer.ts";

const nal = (type: number, size: number, fill = 7) => Buffer.concat([Buffer.from([0x60 | type]), Buffer.alloc(size - 1, fill)]);

describe("H.264 depacketizer", () => {
  it("reassembles what the packetizer made, FU-A fragments included", () => {
    const au = [nal(7, 20), nal(8, 6), nal(5, 5000, 3)];
    const d = createH264Depacketizer();
    const payloads = packetizeH264AccessUnit(au);
    expect(payloads.length).toBeGreaterThan(3);
    const units = payloads.flatMap((p, i) => d.push(p, 1234, i === payloads.length - 1));
    expect(units).toHaveLength(1);
    const out = units[0];
    expect(out!.idr).toBe(true);
    expect(out!.nals).toEqual(au);
    expect(accessUnitToAnnexB(out!).subarray(0, 5)).toEqual(Buffer.from([0, 0, 0, 1, 0x67]));
  });

  it("splits STAP-A aggregates into their NAL units", () => {
    const a = nal(7, 10);
    const b = nal(8, 4);
    const stap = Buffer.concat([Buffer.from([0x78]), Buffer.from([0, a.length]), a, Buffer.from([0, b.length]), b]);
    const [au] = createH264Depacketizer().push(stap, 9, true);
    expect(au?.nals).toEqual([a, b]);
    expect(au?.idr).toBe(false);
  });

  it("drops a fragmented NAL whose first fragment is missing and closes units on a timestamp change", () => {
    const d = createH264Depacketizer();
    const frags = packetizeH264AccessUnit([nal(1, 3000)]);
    expect(d.push(frags[1]!, 1, false)).toEqual([]); // middle fragment without a start
    expect(d.push(frags[2]!, 1, false)).toEqual([]);
    const single = nal(1, 50);
    expect(d.push(single, 1, false)).toEqual([]);
    const next = nal(1, 10);
    const closed = d.push(next, 2, true);
    expect(closed.map((u) => u.timestamp)).toEqual([1, 2]);
    expect(closed[0]!.nals).toEqual([single]);
    expect(closed[1]!.nals).toEqual([next]);
  });
});
