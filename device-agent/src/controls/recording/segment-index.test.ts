import { describe, expect, it } from "vitest";
import type { RecordingSegment } from "../../../../protocol/index.ts";
import { retentionVictims, segmentsInRange } from "./segment-index.ts";

const seg = (start: number, end: number, bytes = 100): RecordingSegment => ({ id: `${start}-${end}`, start, end, bytes });
const all = [seg(20, 30), seg(0, 10), seg(10, 20), seg(40, 50)];

describe("segmentsInRange", () => {
  it("returns segments overlapping the range, oldest first, touching ends excluded", () => {
    expect(segmentsInRange(all, 10, 25).map((s) => s.id)).toEqual(["10-20", "20-30"]);
    expect(segmentsInRange(all, 30, 40)).toEqual([]);
    expect(segmentsInRange(all, 35, 41).map((s) => s.id)).toEqual(["40-50"]);
    expect(segmentsInRange(all, -Infinity, Infinity)).toHaveLength(4);
  });

  it("caps a long listing to the newest segments", () => {
    expect(segmentsInRange(all, 0, 100, 2).map((s) => s.id)).toEqual(["20-30", "40-50"]);
  });
});

describe("retentionVictims", () => {
  it("deletes the oldest segments until the total fits the limit", () => {
    expect(retentionVictims(all, 250).map((s) => s.id)).toEqual(["0-10", "10-20"]);
    expect(retentionVictims(all, 400)).toEqual([]);
  });

  it("counts the segment being written against the limit but never deletes it", () => {
    expect(retentionVictims(all, 400, 150).map((s) => s.id)).toEqual(["0-10", "10-20"]);
    expect(retentionVictims(all, 10, 1000)).toHaveLength(4);
  });
});
