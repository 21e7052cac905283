import { describe, expect, it } from "vitest";
import { exactPercentiles, histogramPercentile, nearestRank } from "./percentiles.ts";

describe("TTFF percentiles", () => {
  it("takes the nearest rank of the sorted values, and null for none", () => {
    expect(nearestRank([], 0.5)).toBeNull();
    expect(nearestRank([10], 0.95)).toBe(10);
    expect(exactPercentiles([1300, 240, 500, 1300, 500])).toEqual({ p50: 500, p95: 1300, count: 5 });
  });

  it("reads a percentile off the histogram as the upper edge of the bucket its rank falls in", () => {
    // 250 | 500 | 1000 | 2000 | 4000 | 8000 | ∞
    expect(histogramPercentile([1, 2, 0, 2, 0, 0, 0], 0.5)).toBe(500);
    expect(histogramPercentile([1, 2, 0, 2, 0, 0, 0], 0.95)).toBe(2000);
    expect(histogramPercentile([0, 0, 0, 0, 0, 0, 0], 0.5)).toBeNull();
  });

  it("answers the last edge (at least) when the rank falls above it", () => {
    expect(histogramPercentile([0, 0, 0, 0, 0, 0, 4], 0.5)).toBe(8000);
  });
});
