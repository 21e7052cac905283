import { describe, expect, it } from "vitest";
import { createEventCutter, type CutterAction, type CutterOptions } from "./event-cutter.ts";

const T = 0.01;
/** Feeds `score` every 200 ms (5 fps) from `from` to before `to`; returns every action. */
function feed(c: ReturnType<typeof createEventCutter>, score: number, from: number, to: number): CutterAction[] {
  const out: CutterAction[] = [];
  for (let t = from; t < to; t += 200) out.push(...c.push(score, t));
  return out;
}
const cutter = (o: Partial<CutterOptions> = {}) => createEventCutter({ threshold: T, minMotionMs: 400, gapMs: 1000, quietMs: 3000, maxEventMs: 60_000, cooldownMs: 5000, ...o });

describe("event cutter", () => {
  it("starts one event at the first moving frame once motion lasted the minimum, and ends it at the last moving frame after the quiet time", () => {
    const c = cutter();
    expect(feed(c, 0, 0, 1000)).toEqual([]);
    expect(feed(c, 0.05, 1000, 3000)).toEqual([{ type: "start", start: 1000 }]);
    expect(c.open).toBe(1000);
    expect(feed(c, 0, 3000, 6000)).toEqual([]);
    expect(feed(c, 0, 6000, 6400)).toEqual([{ type: "end", start: 1000, end: 2800 }]);
    expect(c.open).toBe(null);
  });

  it("makes no event from a still picture", () => {
    expect(feed(cutter(), 0.002, 0, 60_000)).toEqual([]);
  });

  it("drops a flicker shorter than the minimum motion", () => {
    const c = cutter();
    expect(feed(c, 0.05, 0, 400)).toEqual([]); // frames at 0 and 200: 200 ms of motion
    expect(feed(c, 0, 400, 10_000)).toEqual([]);
  });

  it("keeps an event open through a pause shorter than the quiet time and through weaker motion (hysteresis)", () => {
    const c = cutter();
    feed(c, 0.05, 0, 1000);
    expect(feed(c, 0, 1000, 3000)).toEqual([]);
    expect(feed(c, T * 0.6, 3000, 5000)).toEqual([]);
    expect(feed(c, 0, 5000, 9000)).toEqual([{ type: "end", start: 0, end: 4800 }]);
  });

  it("starts nothing during the cooldown after an event, then starts again", () => {
    const c = cutter();
    feed(c, 0.05, 0, 1000);
    // Quiet for more than 3 s after the last moving frame (800).
    expect(feed(c, 0, 1000, 4000)).toEqual([]);
    expect(feed(c, 0, 4000, 4200)).toEqual([{ type: "end", start: 0, end: 800 }]);
    // Cooldown runs to 800 + 5000.
    expect(feed(c, 0.05, 4200, 5800)).toEqual([]);
    expect(feed(c, 0.05, 5800, 6400)).toEqual([{ type: "start", start: 5800 }]);
  });

  it("cuts endless motion at the maximum length", () => {
    const c = cutter({ maxEventMs: 10_000 });
    const actions = feed(c, 0.05, 0, 30_000);
    expect(actions[0]).toEqual({ type: "start", start: 0 });
    expect(actions[1]).toEqual({ type: "end", start: 0, end: 10_000 });
    expect(actions[2]).toEqual({ type: "start", start: 15_000 });
  });

  it("needs the motion to be continuous to start: moving frames further apart than the gap do not add up", () => {
    const c = cutter();
    const out: CutterAction[] = [];
    for (let t = 0; t < 20_000; t += 1500) out.push(...c.push(0.05, t), ...c.push(0, t + 200));
    expect(out).toEqual([]);
  });

  it("ends an open event at its last motion when frames stop coming", () => {
    const c = cutter();
    feed(c, 0.05, 0, 2000);
    expect(c.finish()).toEqual([{ type: "end", start: 0, end: 1800 }]);
    expect(c.finish()).toEqual([]);
  });
});
