import { describe, expect, it } from "vitest";
import { formatCount, formatMs, formatPercent, formatRate } from "./ops-format.ts";

describe("formatPercent", () => {
  it("rounds a share to a whole percentage", () => {
    expect(formatPercent(1, 3)).toBe("33%");
    expect(formatPercent(2, 3)).toBe("67%");
    expect(formatPercent(3, 3)).toBe("100%");
    expect(formatPercent(0, 3)).toBe("0%");
  });

  it("never shows 100% while one failed, nor 0% while a few did", () => {
    expect(formatPercent(999, 1000)).toBe(">99%");
    expect(formatPercent(1, 1000)).toBe("<1%");
  });

  it("says — when there is nothing to divide", () => {
    expect(formatPercent(0, 0)).toBe("—");
    expect(formatRate(null)).toBe("—");
    expect(formatRate(0.5)).toBe("50%");
  });
});

describe("formatMs", () => {
  it("reads milliseconds under a second and seconds above", () => {
    expect(formatMs(850)).toBe("850 ms");
    expect(formatMs(1234)).toBe("1.2 s");
    expect(formatMs(14_400)).toBe("14 s");
    expect(formatMs(null)).toBe("—");
  });
});

describe("formatCount", () => {
  it("shortens thousands", () => {
    expect(formatCount(950)).toBe("950");
    expect(formatCount(1200)).toBe("1.2k");
    expect(formatCount(15_300)).toBe("15k");
    expect(formatCount(0.5)).toBe("0.5");
  });
});
