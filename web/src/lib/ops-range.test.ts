import { describe, expect, it } from "vitest";
import { bucketLabel, bucketTitle, labelStep, rangeQuery, rangeWindow } from "./ops-range.ts";

const NOW = Date.UTC(2026, 11, 7, 23, 30);
const H = 3_600_000;

describe("rangeWindow", () => {
  it("ends now and reaches back the range's length", () => {
    expect(rangeWindow("1h", NOW)).toEqual({ from: NOW - H, to: NOW });
    expect(rangeWindow("30d", NOW)).toEqual({ from: NOW - 30 * 24 * H, to: NOW });
  });

  it("becomes the edge's ?from&to in Unix ms", () => {
    expect(rangeQuery({ from: 1, to: 2 })).toBe("?from=1&to=2");
  });
});

describe("bucketLabel", () => {
  it("names an hourly bucket by its UTC hour and a daily one by its UTC day", () => {
    expect(bucketLabel(Date.UTC(2026, 11, 7, 14), H)).toBe("14:00");
    expect(bucketLabel(Date.UTC(2026, 11, 7), 24 * H)).toBe("7 Dec");
  });

  it("spells the whole bucket out for a tooltip", () => {
    expect(bucketTitle(Date.UTC(2026, 11, 7, 14), H)).toBe("7 Dec, 14:00–15:00 UTC");
    expect(bucketTitle(Date.UTC(2026, 11, 7), 24 * H)).toBe("7 Dec UTC");
  });
});

describe("labelStep", () => {
  it("labels every bar when few, and thins 25 hourly bars to at most 6 labels", () => {
    expect(labelStep(7)).toBe(2);
    expect(labelStep(6)).toBe(1);
    expect(labelStep(25)).toBe(5);
    expect(Math.ceil(25 / labelStep(25))).toBeLessThanOrEqual(6);
  });
});
