import { describe, expect, it } from "vitest";
import { fakeSource } from "../../test/fake-source.ts";
import { createMediaHub } from "./media-hub.ts";

describe("media hub by quality", () => {
  it("keeps the old subscribe signature: default quality SD, with its keyframe replay", () => {
    const { source, emit } = fakeSource(["sd", "hd"]);
    const hub = createMediaHub(source);
    emit({ timestamp: 1, keyframeStart: true });
    emit({ timestamp: 2 });
    emit({ timestamp: 9, keyframeStart: true, quality: "hd" });
    const got: number[] = [];
    const sub = hub.subscribe("H264", (p) => got.push(p.timestamp));
    expect(sub.replay.map((p) => p.timestamp)).toEqual([1, 2]);
    emit({ timestamp: 3 });
    emit({ timestamp: 10, quality: "hd" });
    expect(got).toEqual([3]);
    expect(hub.qualities).toEqual(["sd", "hd"]);
  });

  it("delivers a quality only to its subscribers, each with that quality's keyframe cache", () => {
    const { source, emit } = fakeSource(["sd", "hd"]);
    const hub = createMediaHub(source);
    emit({ timestamp: 9, keyframeStart: true, quality: "hd" });
    const got: number[] = [];
    const sub = hub.subscribe("H264", (p) => got.push(p.timestamp), { quality: "hd" });
    expect(sub.replay.map((p) => p.timestamp)).toEqual([9]);
    emit({ timestamp: 3 });
    emit({ timestamp: 10, quality: "hd" });
    expect(got).toEqual([10]);
    expect(hub.subscribers("H264", "hd")).toBe(1);
    expect(hub.subscribers("H264")).toBe(1);
  });

  it("tells the source how many watch each quality and with which codecs, counting video only", () => {
    const { source, demand } = fakeSource(["sd", "hd"]);
    const hub = createMediaHub(source);
    const a = hub.subscribe("H264", () => {}, { quality: "hd" });
    const b = hub.subscribe("VP8", () => {}, { quality: "hd" });
    hub.subscribe("opus", () => {});
    a.unsubscribe();
    a.unsubscribe(); // idempotent
    b.unsubscribe();
    expect(demand).toEqual(["hd=1 H264", "hd=2 H264+VP8", "hd=1 VP8", "hd=0"]);
  });

  it("offers one quality for a source without the pipeline", () => {
    const { source } = fakeSource();
    expect(createMediaHub(source).qualities).toEqual(["sd"]);
  });
});
