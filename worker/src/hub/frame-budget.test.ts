// The frame budget: a socket's token bucket and a session's candidate cap, as pure arithmetic.
import { describe, expect, it } from "vitest";
import { FRAME_BUDGETS, FrameBudget, MAX_CANDIDATES_PER_SESSION } from "./frame-budget.ts";

describe("frame budget", () => {
  it("lets a viewer send its burst at once and refuses the next frame in the same instant", () => {
    const b = new FrameBudget();
    for (let i = 0; i < FRAME_BUDGETS.viewer.burst; i++) expect(b.admit("v1", "viewer", 1_000)).toBe(true);
    expect(b.admit("v1", "viewer", 1_000)).toBe(false);
  });

  it("earns frames back at the sustained rate, never above the burst", () => {
    const b = new FrameBudget({ viewer: { burst: 4, perSecond: 2 }, device: { burst: 8, perSecond: 4 } });
    for (let i = 0; i < 4; i++) b.admit("v1", "viewer", 0);
    expect(b.admit("v1", "viewer", 0)).toBe(false);
    // Half a second earns one frame at 2 a second.
    expect(b.admit("v1", "viewer", 500)).toBe(true);
    expect(b.admit("v1", "viewer", 500)).toBe(false);
    // An hour of silence earns no more than the burst.
    let admitted = 0;
    while (b.admit("v1", "viewer", 3_600_000)) admitted++;
    expect(admitted).toBe(4);
  });

  it("refused frames spend nothing, so a socket that slows down to the rate is admitted again", () => {
    const b = new FrameBudget({ viewer: { burst: 1, perSecond: 10 }, device: { burst: 1, perSecond: 10 } });
    expect(b.admit("v1", "viewer", 0)).toBe(true);
    for (let t = 1; t < 50; t++) expect(b.admit("v1", "viewer", t)).toBe(false);
    expect(b.admit("v1", "viewer", 100)).toBe(true);
  });

  it("keeps each socket's budget apart and gives a camera more than a viewer", () => {
    const b = new FrameBudget();
    for (let i = 0; i < FRAME_BUDGETS.viewer.burst; i++) b.admit("v1", "viewer", 0);
    expect(b.admit("v1", "viewer", 0)).toBe(false);
    expect(b.admit("v2", "viewer", 0)).toBe(true);
    let device = 0;
    while (b.admit("d1", "device", 0)) device++;
    expect(device).toBe(FRAME_BUDGETS.device.burst);
    expect(FRAME_BUDGETS.device.burst).toBeGreaterThan(FRAME_BUDGETS.viewer.burst);
  });

  it("a forgotten socket starts again with a full bucket", () => {
    const b = new FrameBudget({ viewer: { burst: 1, perSecond: 0 }, device: { burst: 1, perSecond: 0 } });
    b.admit("v1", "viewer", 0);
    expect(b.admit("v1", "viewer", 0)).toBe(false);
    b.forgetSocket("v1");
    expect(b.admit("v1", "viewer", 0)).toBe(true);
  });

  it("relays at most the cap of candidates per session and direction, until the session is forgotten", () => {
    const b = new FrameBudget();
    for (let i = 0; i < MAX_CANDIDATES_PER_SESSION; i++) expect(b.relayCandidate("S1", "to-device")).toBe(true);
    expect(b.relayCandidate("S1", "to-device")).toBe(false);
    // The other direction and other sessions have their own count.
    expect(b.relayCandidate("S1", "to-viewer")).toBe(true);
    expect(b.relayCandidate("S2", "to-device")).toBe(true);
    b.forgetSession("S1");
    expect(b.relayCandidate("S1", "to-device")).toBe(true);
  });
});
