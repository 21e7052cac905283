import { describe, expect, it } from "vitest";
import type { RecordingSegment } from "../../../protocol/controls.ts";
import { fractionToTime, mediaTime, nextSegmentToFetch, segmentAt, timeToFraction, timelineBars, timelineTicks, wallTime } from "./playback-timeline.ts";

const seg = (start: number, end: number): RecordingSegment => ({ id: `${start}-${end}`, start, end, bytes: 1 });
const segs = [seg(10_000, 22_000), seg(22_000, 34_000), seg(60_000, 70_000)];
const w = { from: 0, to: 100_000 };

describe("timeline positions", () => {
  it("maps times to bar fractions and back, clamped to the window", () => {
    expect(timeToFraction(25_000, w)).toBe(0.25);
    expect(fractionToTime(0.25, w)).toBe(25_000);
    expect(timeToFraction(-5, w)).toBe(0);
    expect(fractionToTime(2, w)).toBe(100_000);
  });

  it("draws back-to-back segments as one bar and clips bars to the window", () => {
    const round = (bars: ReturnType<typeof timelineBars>) => bars.map((b) => ({ ...b, left: +b.left.toFixed(6), width: +b.width.toFixed(6) }));
    expect(round(timelineBars(segs, w))).toEqual([
      { start: 10_000, end: 34_000, left: 0.1, width: 0.24 },
      { start: 60_000, end: 70_000, left: 0.6, width: 0.1 },
    ]);
    expect(timelineBars(segs, { from: 65_000, to: 75_000 })).toEqual([{ start: 60_000, end: 70_000, left: 0, width: 0.5 }]);
  });

  it("puts ticks on round times", () => {
    expect(timelineTicks({ from: 1_000, to: 3_600_000 }, 6)).toEqual([900_000, 1_800_000, 2_700_000, 3_600_000]);
  });
});

describe("segmentAt", () => {
  it("plays the segment recording the clicked time, from that time", () => {
    expect(segmentAt(segs, 25_000)).toEqual({ segment: segs[1], at: 25_000 });
    expect(segmentAt(segs, 22_000)?.segment.id).toBe("22000-34000");
  });

  it("snaps a click in a gap to the next recording, and finds nothing after the last", () => {
    expect(segmentAt(segs, 40_000)).toEqual({ segment: segs[2], at: 60_000 });
    expect(segmentAt(segs, 80_000)).toBeNull();
  });
});

describe("nextSegmentToFetch", () => {
  it("fetches the segment after the buffered end when less than 10 s is buffered ahead", () => {
    expect(nextSegmentToFetch(segs, new Set(["10000-22000"]), 15_000, 22_000)?.id).toBe("22000-34000");
  });

  it("fetches nothing while enough is buffered, or when every later segment is loaded", () => {
    expect(nextSegmentToFetch(segs, new Set(["10000-22000"]), 11_000, 22_000)).toBeNull();
    expect(nextSegmentToFetch(segs, new Set(segs.map((s) => s.id)), 65_000, 70_000)).toBeNull();
  });

  it("skips a gap to the next recording", () => {
    expect(nextSegmentToFetch(segs, new Set(["10000-22000", "22000-34000"]), 30_000, 34_000)?.id).toBe("60000-70000");
  });
});

describe("media time", () => {
  it("round-trips recording time through the video's media time", () => {
    expect(mediaTime(1_764_000_012_500, 1_764_000_000_000)).toBe(12.5);
    expect(wallTime(12.5, 1_764_000_000_000)).toBe(1_764_000_012_500);
  });
});
