import { describe, expect, it } from "vitest";
import { createKeyframeCache } from "./keyframe-cache.ts";
import type { MediaPacket } from "./packet.ts";

const pkt = (n: number, keyframeStart = false, size = 10): MediaPacket => ({
  codec: "VP8",
  payload: Buffer.alloc(size, n),
  timestamp: n,
  marker: false,
  keyframeStart,
});

describe("keyframe cache", () => {
  it("is empty until the first keyframe arrives", () => {
    const c = createKeyframeCache();
    c.push(pkt(1));
    c.push(pkt(2));
    expect(c.snapshot()).toEqual([]);
  });

  it("holds every packet since the most recent keyframe", () => {
    const c = createKeyframeCache();
    [pkt(1, true), pkt(2), pkt(3, true), pkt(4), pkt(5)].forEach((p) => c.push(p));
    expect(c.snapshot().map((p) => p.timestamp)).toEqual([3, 4, 5]);
  });

  it("returns a copy that later packets do not change", () => {
    const c = createKeyframeCache();
    c.push(pkt(1, true));
    const snap = c.snapshot();
    c.push(pkt(2));
    expect(snap).toHaveLength(1);
  });

  it("gives up on a GOP that grows past its limit until the next keyframe", () => {
    const c = createKeyframeCache({ maxPackets: 3 });
    [pkt(1, true), pkt(2), pkt(3), pkt(4)].forEach((p) => c.push(p));
    expect(c.snapshot()).toEqual([]);
    c.push(pkt(5));
    expect(c.snapshot()).toEqual([]);
    c.push(pkt(6, true));
    expect(c.snapshot().map((p) => p.timestamp)).toEqual([6]);
    const b = createKeyframeCache({ maxBytes: 25 });
    [pkt(1, true), pkt(2), pkt(3)].forEach((p) => b.push(p));
    expect(b.snapshot()).toEqual([]);
  });
});
