import { describe, expect, it } from "vitest";
import { createPliGate } from "./pli-gate.ts";

function gate() {
  let t = 1000;
  const g = createPliGate({ startedAt: 1000, firstGapMs: 250, gapMs: 1000, now: () => t });
  return { g, at: (ms: number) => (t = 1000 + ms) };
}

describe("the PLI gate", () => {
  it("lets the start replay arrive before answering a PLI", () => {
    const { g, at } = gate();
    at(100);
    expect(g.allow()).toBe(false);
    at(250);
    expect(g.allow()).toBe(true);
  });

  it("answers the first PLI after the start within a quarter second, not a whole second", () => {
    const { g, at } = gate();
    at(300);
    expect(g.allow()).toBe(true);
  });

  it("spaces later answers by the full gap", () => {
    const { g, at } = gate();
    at(300);
    g.allow();
    at(900);
    expect(g.allow()).toBe(false);
    at(1300);
    expect(g.allow()).toBe(true);
  });

  it("always lets a forced resend through (after an ICE restart) and counts it", () => {
    const { g, at } = gate();
    at(10);
    expect(g.allow(true)).toBe(true);
    at(500);
    expect(g.allow()).toBe(false);
  });
});
