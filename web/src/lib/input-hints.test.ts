import { describe, expect, it } from "vitest";
import { inputKind, pointerFacts, PTZ_HINTS } from "./input-hints.ts";

describe("PTZ hints for the device in hand", () => {
  it("gives a touch-only phone the finger hints, with no arrow keys in them", () => {
    const kind = inputKind({ coarse: true, noHover: true, anyFine: false });
    expect(kind).toBe("touch");
    expect(PTZ_HINTS[kind]).toMatch(/drag on the picture/);
    expect(PTZ_HINTS[kind]).not.toMatch(/arrow keys/);
  });

  it("gives a desktop with a mouse the keyboard hints", () => {
    expect(inputKind({ coarse: false, noHover: false, anyFine: true })).toBe("keyboard");
    expect(PTZ_HINTS.keyboard).toMatch(/arrow keys/);
  });

  it("keeps the keyboard hints on a touch laptop that also has a trackpad", () => {
    expect(inputKind({ coarse: true, noHover: true, anyFine: true })).toBe("keyboard");
  });

  it("reads the three media queries, and assumes a keyboard where there is no matchMedia", () => {
    const phone = (q: string) => ({ matches: q === "(pointer: coarse)" || q === "(hover: none)" });
    expect(pointerFacts(phone)).toEqual({ coarse: true, noHover: true, anyFine: false });
    expect(inputKind(pointerFacts(undefined))).toBe("keyboard");
  });
});
