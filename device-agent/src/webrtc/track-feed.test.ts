import { describe, expect, it } from "vitest";
import type { RtpPacket } from "werift";
import { createMediaHub } from "../media/media-hub.ts";
import { fakeSource } from "../../test/fake-source.ts";
import { createFeedStream } from "./feed-stream.ts";
import { startTrackFeed } from "./track-feed.ts";

describe("track feed quality switch", () => {
  it("switches at the new quality's next keyframe with continuous sequence numbers and monotonic timestamps", async () => {
    const { source, emit } = fakeSource(["sd", "hd"]);
    const hub = createMediaHub(source);
    let t = 0;
    const sent: { seq: number; ts: number; first: number }[] = [];
    const feed = startTrackFeed({ hub, codec: "H264", send: (p: RtpPacket) => void sent.push({ seq: p.header.sequenceNumber, ts: p.header.timestamp, first: p.payload[0]! }), random: () => 0.5, now: () => t });
    emit({ timestamp: 1_000_000, timeline: 1 });
    t += 66;
    emit({ timestamp: 1_006_000, timeline: 1 });
    const switching = feed.setQuality("hd");
    // HD (another encoder, another random base) before its keyframe: not sent; SD keeps going.
    emit({ timestamp: 50, quality: "hd", timeline: 2 });
    t += 66;
    emit({ timestamp: 1_012_000, timeline: 1 });
    expect(feed.quality).toBe("sd");
    t += 66;
    emit({ timestamp: 6050, quality: "hd", timeline: 2, keyframeStart: true });
    await switching;
    expect(feed.quality).toBe("hd");
    emit({ timestamp: 1_018_000, timeline: 1 }); // SD no longer reaches this session
    t += 66;
    emit({ timestamp: 12050, quality: "hd", timeline: 2 });

    expect(sent.map((s) => s.first)).toEqual([1_000_000, 1_006_000, 1_012_000, 6050, 12050].map((x) => x & 0xff));
    const seqs = sent.map((s) => s.seq);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0]! + i) & 0xffff));
    const ts = sent.map((s) => s.ts);
    // The HD keyframe follows the last SD frame by the wall time between them (66 ms = 5940
    // ticks at 90 kHz), and HD's own spacing is kept after it.
    expect(ts[3]! - ts[2]!).toBe(5940);
    expect(ts[4]! - ts[3]!).toBe(6000);
    feed.stop();
  });

  it("rebases an encoder restart (new timeline) instead of jumping", () => {
    const { source, emit } = fakeSource(["sd", "hd"]);
    const hub = createMediaHub(source);
    let t = 0;
    const ts: number[] = [];
    const feed = startTrackFeed({ hub, codec: "H264", send: (p: RtpPacket) => void ts.push(p.header.timestamp), now: () => t });
    emit({ timestamp: 4_000_000_000, timeline: 1 });
    t += 500;
    emit({ timestamp: 77, timeline: 2, keyframeStart: true });
    expect(ts[1]! - ts[0]!).toBe(45_000);
    feed.stop();
  });

  it("gives up a switch with no keyframe in time and stays on the old quality", async () => {
    const { source } = fakeSource(["sd", "hd"]);
    const hub = createMediaHub(source);
    const feed = startTrackFeed({ hub, codec: "VP8", send: () => {} });
    await expect(feed.setQuality("hd", 20)).rejects.toThrow(/no hd keyframe/);
    expect(feed.quality).toBe("sd");
    expect(hub.subscribers("VP8", "hd")).toBe(0);
    feed.stop();
  });

  it("as a session stream: picks the start quality before media flows, refuses qualities the camera lacks", async () => {
    const hub = createMediaHub(fakeSource(["sd", "hd"]).source);
    const stream = createFeedStream(hub);
    expect(await stream.setQuality("hd")).toMatchObject({ width: 1280, height: 720 });
    expect(stream.quality).toBe("hd");
    const single = createFeedStream(createMediaHub(fakeSource().source));
    await expect(single.setQuality("hd")).rejects.toMatchObject({ code: "unsupported" });
  });
});

describe("track feed start", () => {
  it("replays the frames since the last keyframe one RTP tick apart, and live video continues them by wall time", async () => {
    const { source, emit } = fakeSource();
    const hub = createMediaHub(source);
    const keep = hub.subscribe("H264", () => {}); // the camera is live for someone already
    let t = 0;
    emit({ timestamp: 90_000, keyframeStart: true, marker: false });
    emit({ timestamp: 90_000 });
    emit({ timestamp: 96_000 });
    emit({ timestamp: 102_000 });
    t += 2000;
    const sent: { ts: number; first: number }[] = [];
    const feed = startTrackFeed({ hub, codec: "H264", send: (p: RtpPacket) => void sent.push({ ts: p.header.timestamp, first: p.payload[0]! }), now: () => t, replayWindowMs: 0, random: () => 0.25 });
    expect(feed.replayed).toBe(4);
    await new Promise((r) => setTimeout(r, 5)); // the replay's later slices
    t += 66;
    emit({ timestamp: 108_000 });
    expect(sent.map((s) => s.first)).toEqual([90_000, 90_000, 96_000, 102_000, 108_000].map((x) => x & 0xff));
    const ts = sent.map((s) => s.ts);
    // A random start (RFC 3550 §5.1); the keyframe's two packets share a timestamp; the GOP's
    // 12 000 ticks (133 ms) of frames take 2 ticks; the live frame comes 66 ms (5940 ticks) later.
    expect(ts[0]).toBe(0x4000_0000);
    expect([ts[1]! - ts[0]!, ts[2]! - ts[1]!, ts[3]! - ts[2]!]).toEqual([0, 1, 1]);
    expect(ts[4]! - ts[3]!).toBe(5940);
    feed.stop();
    keep.unsubscribe();
  });
});

describe("track feed keyframe resend (answering PLI)", () => {
  it("resends the frames since the last keyframe one tick apart, then live video goes on with a monotonic clock", async () => {
    const { source, emit } = fakeSource();
    const hub = createMediaHub(source);
    let t = 0;
    const sent: { seq: number; ts: number; first: number }[] = [];
    const feed = startTrackFeed({ hub, codec: "H264", send: (p: RtpPacket) => void sent.push({ seq: p.header.sequenceNumber, ts: p.header.timestamp, first: p.payload[0]! }), now: () => t, replayWindowMs: 0 });
    emit({ timestamp: 90_000, keyframeStart: true });
    t += 66;
    emit({ timestamp: 96_000 });
    t += 66;
    emit({ timestamp: 102_000 });
    t += 1000; // packets lost on the way: the browser asks for a keyframe

    expect(feed.resendFromKeyframe()).toBe(3);
    await new Promise((r) => setTimeout(r, 5));
    t += 66;
    emit({ timestamp: 108_000 });

    expect(sent.map((s) => s.first)).toEqual([90_000, 96_000, 102_000, 90_000, 96_000, 102_000, 108_000].map((x) => x & 0xff));
    const seqs = sent.map((s) => s.seq);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0]! + i) & 0xffff));
    const ts = sent.map((s) => s.ts);
    // The resent keyframe follows the last frame by the wall time (1 s = 90000 ticks), its
    // frames one tick apart; live video continues after them by the wall time again.
    expect(ts[3]! - ts[2]!).toBe(90_000);
    expect([ts[4]! - ts[3]!, ts[5]! - ts[4]!]).toEqual([1, 1]);
    expect(ts[6]! - ts[5]!).toBe(5940);
    feed.stop();
  });

  it("resends nothing when no keyframe is cached", () => {
    const { source, emit } = fakeSource();
    const hub = createMediaHub(source);
    const feed = startTrackFeed({ hub, codec: "H264", send: () => {} });
    emit({ timestamp: 1000 });
    expect(feed.resendFromKeyframe()).toBe(0);
    feed.stop();
  });
});
