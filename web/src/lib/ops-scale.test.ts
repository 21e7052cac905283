import { describe, expect, it } from "vitest";
import { niceScale, niceStep } from "./ops-scale.ts";

describe("niceStep", () => {
  it("rounds up to 1, 2 or 5 times a power of ten", () => {
    expect(niceStep(0.75)).toBe(1);
    expect(niceStep(1.2)).toBe(2);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(9.25)).toBe(10);
    expect(niceStep(0.03)).toBe(0.05);
    expect(niceStep(230)).toBe(500);
  });

  it("falls back to 1 for zero, negatives and non-numbers", () => {
    expect(niceStep(0)).toBe(1);
    expect(niceStep(-4)).toBe(1);
    expect(niceStep(Number.NaN)).toBe(1);
  });
});

describe("niceScale", () => {
  it("keeps a small count axis whole: 3 sessions get ticks 0 1 2 3", () => {
    expect(niceScale(3)).toEqual({ max: 3, step: 1, ticks: [0, 1, 2, 3] });
  });

  it("ends a larger axis on the next multiple of a nice step", () => {
    expect(niceScale(37)).toEqual({ max: 40, step: 10, ticks: [0, 10, 20, 30, 40] });
    expect(niceScale(1000)).toEqual({ max: 1000, step: 500, ticks: [0, 500, 1000] });
  });

  it("gives an empty chart an axis of one step", () => {
    expect(niceScale(0)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
  });

  it("allows fractional steps when asked, without float noise", () => {
    const s = niceScale(0.3, 3, 0);
    expect(s.step).toBe(0.1);
    expect(s.ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });
});
