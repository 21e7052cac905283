import { describe, expect, it } from "vitest";
import type { MotionEvent } from "../../../protocol/controls.ts";
import {
  deepLinkQuery,
  durationLabel,
  eventStartFromId,
  eventTimeLabel,
  mergeEvents,
  olderPageParams,
  playFromTime,
} from "./event-list.ts";

const ev = (id: string, start: number, o: Partial<MotionEvent> = {}): MotionEvent => ({
  id,
  kind: "motion",
  start,
  end: start + 4_000,
  thumbnail: null,
  recording: null,
  ...o,
});
const thumb = { bytes: 9_000, width: 640, height: 360 };

describe("mergeEvents", () => {
  it("lists events newest first, one entry per id", () => {
    const out = mergeEvents([ev("a", 1_000), ev("b", 3_000)], [ev("c", 2_000), ev("b", 3_000)]);
    expect(out.map((e) => e.id)).toEqual(["b", "c", "a"]);
  });

  it("keeps an ended event ended when its older 'started' push arrives late", () => {
    const ended = ev("a", 1_000, { end: 5_000, thumbnail: thumb });
    const started = ev("a", 1_000, { end: null });
    const [out] = mergeEvents([ended], [started]);
    expect(out).toMatchObject({ end: 5_000, thumbnail: thumb });
  });

  it("takes the picture and the end from whichever report has them", () => {
    const withPicture = ev("a", 1_000, { end: null, thumbnail: thumb, recording: { from: 1_000, to: 1_000 } });
    const ended = ev("a", 1_000, { end: 6_000, recording: { from: 1_000, to: 6_000 } });
    expect(mergeEvents([withPicture], [ended])[0]).toMatchObject({ end: 6_000, thumbnail: thumb, recording: { from: 1_000, to: 6_000 } });
  });

  it("adds a live push to the top of a listed page", () => {
    const page = [ev("b", 2_000), ev("a", 1_000)];
    expect(mergeEvents(page, [ev("new", 9_000, { end: null })]).map((e) => e.id)).toEqual(["new", "b", "a"]);
  });
});

describe("olderPageParams", () => {
  it("asks for the page before the oldest start when the camera said there is more", () => {
    expect(olderPageParams([ev("b", 2_000), ev("a", 1_000)], true, 20)).toEqual({ from: 0, to: 1_000, limit: 20 });
  });

  it("has no next page when the camera said there is no more, or nothing was listed", () => {
    expect(olderPageParams([ev("a", 1_000)], false)).toBeNull();
    expect(olderPageParams([], true)).toBeNull();
  });
});

describe("playFromTime", () => {
  it("plays a recorded event from a little before it started", () => {
    expect(playFromTime(ev("a", 100_000, { recording: { from: 100_000, to: 104_000 } }), 2_000)).toBe(98_000);
  });

  it("has nothing to play for an event recorded by no one", () => {
    expect(playFromTime(ev("a", 100_000))).toBeNull();
  });
});

describe("durationLabel", () => {
  it("says ongoing while the event has no end", () => {
    expect(durationLabel(ev("a", 0, { end: null }))).toBe("ongoing");
  });

  it("rounds to whole seconds, at least one, and minutes past sixty", () => {
    expect(durationLabel(ev("a", 0, { end: 200 }))).toBe("1 s");
    expect(durationLabel(ev("a", 0, { end: 4_400 }))).toBe("4 s");
    expect(durationLabel(ev("a", 0, { end: 65_000 }))).toBe("1 min 5 s");
    expect(durationLabel(ev("a", 0, { end: 120_000 }))).toBe("2 min");
  });
});

describe("eventTimeLabel", () => {
  const now = Date.UTC(2026, 11, 7, 22, 0, 0); // Monday 7 Dec 2026, 22:00 UTC
  it("shows today's events to the second", () => {
    expect(eventTimeLabel(Date.UTC(2026, 11, 7, 14, 3, 12), now, 0)).toBe("14:03:12");
  });

  it("names yesterday, and the weekday and date before that", () => {
    expect(eventTimeLabel(Date.UTC(2026, 11, 6, 9, 1, 0), now, 0)).toBe("Yesterday 09:01");
    expect(eventTimeLabel(Date.UTC(2026, 11, 3, 10, 0, 0), now, 0)).toBe("Thu 3 Dec 10:00");
  });

  it("counts days in the viewer's zone, not UTC", () => {
    // 23:30 UTC on the 6th is 00:30 on the 7th in Berlin (UTC+1): today there.
    expect(eventTimeLabel(Date.UTC(2026, 11, 6, 23, 30, 0), now, 3_600_000)).toBe("00:30:00");
  });
});

describe("deep links", () => {
  it("reads the start time from an id the agent made", () => {
    const start = 1_765_100_000_123;
    expect(eventStartFromId(`m${start.toString(36)}-a1b2c3`)).toBe(start);
  });

  it("does not guess a time from an id of another shape", () => {
    expect(eventStartFromId("front-door-17")).toBeNull();
    expect(eventStartFromId("m-abc")).toBeNull();
  });

  it("lists one second around a known start, and the whole kept history otherwise", () => {
    const start = 1_765_100_000_123;
    expect(deepLinkQuery(`m${start.toString(36)}-a1b2c3`, start + 60_000)).toEqual({ from: start, to: start + 1_000, limit: 50 });
    expect(deepLinkQuery("other", 40 * 86_400_000)).toMatchObject({ from: 10 * 86_400_000, limit: 500 });
  });
});
