import { describe, expect, it } from "vitest";
import { isSegmentIdShape, parsePartFileName, parseSegmentFileName, partFileName, segmentFileName } from "./segment-names.ts";

describe("segment names", () => {
  it("round-trips a finished segment's start and end through its file name", () => {
    const name = segmentFileName(1764000000000, 1764000012000);
    expect(name).toBe("1764000000000-1764000012000.mp4");
    expect(parseSegmentFileName(name)).toEqual({ id: "1764000000000-1764000012000", start: 1764000000000, end: 1764000012000 });
  });

  it("keeps unfinished segments out of the listing", () => {
    expect(parseSegmentFileName(partFileName(1764000000000))).toBeNull();
    expect(parsePartFileName("1764000000000.mp4.part")).toBe(1764000000000);
    expect(parsePartFileName("1764000000000-1764000012000.mp4")).toBeNull();
  });

  it("ignores names that are not segments, or end before they start", () => {
    for (const n of ["settings.json", "1-2.mp4.tmp", "2-1.mp4", "5-5.mp4", "a-b.mp4", "-1-2.mp4", "1-2.MP4"]) expect(parseSegmentFileName(n)).toBeNull();
  });

  it("accepts only digit-dash-digit ids, so no id can name a path", () => {
    expect(isSegmentIdShape("1764000000000-1764000012000")).toBe(true);
    for (const id of ["../settings", "1-2/../../x", "1-2.mp4", "2-1", "", "1-", "1764000000000-1764000012000\n", "١-٢"]) expect(isSegmentIdShape(id)).toBe(false);
  });
});
