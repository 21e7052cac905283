import { describe, expect, it } from "vitest";
import { parseRange } from "./range.ts";

const H = 3_600_000;
const D = 24 * H;

describe("the operators' time range", () => {
  it("defaults to the last 24 hours in hourly buckets, widened to whole hours", () => {
    const now = 1_000 * D + 30 * 60_000;
    expect(parseRange({}, now)).toEqual({ from: 999 * D, to: 1_000 * D + H, bucketMs: H });
  });

  it("buckets by hour up to 3 days and by UTC day beyond", () => {
    expect(parseRange({ from: String(10 * D), to: String(13 * D) }, 20 * D).bucketMs).toBe(H);
    expect(parseRange({ from: String(10 * D), to: String(13 * D + 1) }, 20 * D)).toEqual({ from: 10 * D, to: 14 * D, bucketMs: D });
  });

  it("refuses a reversed range, one over 31 days, and values that are not whole milliseconds", () => {
    expect(() => parseRange({ from: String(5 * D), to: String(4 * D) }, 10 * D)).toThrow(/before/);
    expect(() => parseRange({ from: "0", to: String(32 * D) }, 40 * D)).toThrow(/31 days/);
    expect(() => parseRange({ from: "1e3" }, 40 * D)).toThrow();
  });
});
