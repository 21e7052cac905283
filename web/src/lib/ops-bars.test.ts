import { describe, expect, it } from "vitest";
import { barLength, columnSlots, stackColumn } from "./ops-bars.ts";

describe("columnSlots", () => {
  it("spreads columns evenly with a gap split either side", () => {
    expect(columnSlots(4, 400, 0.2)).toEqual([
      { x: 10, width: 80 },
      { x: 110, width: 80 },
      { x: 210, width: 80 },
      { x: 310, width: 80 },
    ]);
  });

  it("keeps a lone column no wider than asked, centred in its slot", () => {
    expect(columnSlots(2, 400, 0.2, 40)).toEqual([
      { x: 80, width: 40 },
      { x: 280, width: 40 },
    ]);
  });

  it("has no columns for no buckets or no room", () => {
    expect(columnSlots(0, 400)).toEqual([]);
    expect(columnSlots(3, 0)).toEqual([]);
  });
});

describe("stackColumn", () => {
  it("stacks segments upwards from the baseline in the order given", () => {
    const s = stackColumn([{ key: "lan", value: 2 }, { key: "relay", value: 1 }], 4, 100);
    expect(s).toEqual([
      { key: "lan", value: 2, y: 50, height: 50 },
      { key: "relay", value: 1, y: 25, height: 25 },
    ]);
  });

  it("drops empty segments and draws nothing on an empty axis", () => {
    expect(stackColumn([{ key: "lan", value: 0 }, { key: "p2p", value: 1 }], 1, 10)).toEqual([{ key: "p2p", value: 1, y: 0, height: 10 }]);
    expect(stackColumn([{ key: "lan", value: 1 }], 0, 10)).toEqual([]);
  });
});

describe("barLength", () => {
  it("scales a value to the length of the axis", () => {
    expect(barLength(5, 10, 200)).toBe(100);
    expect(barLength(10, 10, 200)).toBe(200);
  });

  it("keeps one session among thousands visible, and zero at zero", () => {
    expect(barLength(1, 5000, 200)).toBe(2);
    expect(barLength(0, 10, 200)).toBe(0);
    expect(barLength(3, 0, 200)).toBe(0);
  });
});
