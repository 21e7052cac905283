import { describe, expect, it } from "vitest";
import { changedFraction, motionThreshold } from "./frame-difference.ts";
import { zoneMask } from "./zone-mask.ts";

const W = 64, H = 36;
const flat = (v: number) => new Uint8Array(W * H).fill(v);
/** A `size`-pixel square of luma 230 on grey 60 with its corner at (x, y). */
const square = (x: number, y: number, size = 8) => {
  const f = flat(60);
  for (let py = y; py < y + size; py++) for (let px = x; px < x + size; px++) f[py * W + px] = 230;
  return f;
};
const all = zoneMask(W, H, []);

describe("frame difference", () => {
  it("scores identical frames as no motion", () => {
    expect(changedFraction(square(10, 10), square(10, 10), all)).toBe(0);
  });

  it("scores a moved square by the pixels it left and entered", () => {
    // 8×8 square moved 4 px right: 4×8 pixels left, 4×8 entered = 64 of 2304.
    expect(changedFraction(square(10, 10), square(14, 10), all)).toBeCloseTo(64 / (W * H), 2);
  });

  it("ignores noise below the pixel threshold", () => {
    const a = flat(100);
    const b = a.map((v, i) => v + ((i * 7) % 21) - 10);
    expect(changedFraction(a, b, all)).toBe(0);
  });

  it("does not call a whole-picture brightness change motion", () => {
    expect(changedFraction(flat(60), flat(120), all)).toBe(0);
    expect(changedFraction(square(10, 10), square(10, 10).map((v) => v + 20), all)).toBe(0);
  });

  it("counts only pixels inside the zones", () => {
    const left = zoneMask(W, H, [{ x: 0, y: 0, w: 0.5, h: 1 }]);
    const right = zoneMask(W, H, [{ x: 0.5, y: 0, w: 0.5, h: 1 }]);
    expect(changedFraction(square(4, 10), square(8, 10), left)).toBeGreaterThan(0);
    expect(changedFraction(square(4, 10), square(8, 10), right)).toBe(0);
  });

  it("maps sensitivity 1, 50 and 100 to 10 %, about 1 % and 0.1 % of the watched area", () => {
    expect(motionThreshold(1)).toBeCloseTo(0.1, 5);
    expect(motionThreshold(50)).toBeCloseTo(0.0102, 3);
    expect(motionThreshold(100)).toBeCloseTo(0.001, 5);
    expect(motionThreshold(70)).toBeLessThan(motionThreshold(30));
  });
});

describe("zone mask", () => {
  it("watches the whole picture when there are no zones", () => {
    expect(zoneMask(4, 2, []).every((v) => v === 1)).toBe(true);
  });

  it("marks the pixels whose centres fall in a zone", () => {
    expect([...zoneMask(4, 2, [{ x: 0.5, y: 0, w: 0.5, h: 0.5 }])]).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
  });

  it("falls back to the whole picture when the zones cover no pixel centre", () => {
    expect(zoneMask(4, 2, [{ x: 0.01, y: 0.01, w: 0.01, h: 0.01 }]).every((v) => v === 1)).toBe(true);
  });

  it("clips a zone that runs past the edge", () => {
    expect([...zoneMask(4, 1, [{ x: 0.75, y: 0, w: 1, h: 1 }])]).toEqual([0, 0, 0, 1]);
  });
});
