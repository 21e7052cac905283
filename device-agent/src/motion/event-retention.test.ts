import { describe, expect, it } from "vitest";
import type { MotionEvent } from "../../../protocol/index.ts";
import { eventsInRange } from "./event-range.ts";
import { eventRetentionVictims } from "./event-retention.ts";

const DAY = 24 * 3600_000;
const ev = (id: string, start: number, end: number | null = start + 1000): MotionEvent => ({ id, kind: "motion", start, end, thumbnail: null, recording: null });

describe("event retention", () => {
  it("deletes events older than the age limit", () => {
    const now = 40 * DAY;
    const all = [ev("old", 1 * DAY), ev("mid", 20 * DAY), ev("new", 39 * DAY)];
    expect(eventRetentionVictims(all, now, { maxCount: 100, maxAgeMs: 30 * DAY })).toEqual(["old"]);
  });

  it("deletes the oldest beyond the count limit", () => {
    const all = [ev("c", 3000), ev("a", 1000), ev("d", 4000), ev("b", 2000)];
    expect(eventRetentionVictims(all, 5000, { maxCount: 2, maxAgeMs: DAY })).toEqual(["a", "b"]);
  });

  it("keeps everything within both limits", () => {
    expect(eventRetentionVictims([ev("a", 1000), ev("b", 2000)], 3000, { maxCount: 2, maxAgeMs: DAY })).toEqual([]);
  });

  it("never deletes an event still going on", () => {
    const all = [ev("a", 1000), ev("b", 2000), ev("open", 3000, null)];
    expect(eventRetentionVictims(all, 4000, { maxCount: 1, maxAgeMs: DAY })).toEqual(["a", "b"]);
    expect(eventRetentionVictims([ev("long", 0, null)], 40 * DAY, { maxCount: 1, maxAgeMs: DAY })).toEqual([]);
  });
});

describe("events in a time range", () => {
  const all = [ev("a", 1000, 2000), ev("b", 3000, 4000), ev("open", 5000, null), ev("c", 7000, 8000)];

  it("lists events overlapping the range, newest first, an open one counting as running until now", () => {
    expect(eventsInRange(all, 1500, 6000, 10).events.map((e) => e.id)).toEqual(["open", "b", "a"]);
    expect(eventsInRange(all, 9000, 9500, 10).events.map((e) => e.id)).toEqual(["open"]);
  });

  it("returns the newest `limit` and says there are more", () => {
    expect(eventsInRange(all, 0, 10_000, 2)).toMatchObject({ events: [{ id: "c" }, { id: "open" }], more: true });
    expect(eventsInRange(all, 0, 10_000, 4).more).toBe(false);
  });
});
