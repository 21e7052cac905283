import { describe, expect, it } from "vitest";
import type { IndexedEvent } from "../../../protocol/events-api.ts";
import { cameraNameOf, dayKey, dayLabel, eventTime, filterableCameras, groupByDay, mergeEvents, olderThan } from "./event-timeline.ts";

const BERLIN = { locale: "en-GB", timeZone: "Europe/Berlin" };
// Monday 7 December 2026, 21:30 in Berlin (20:30 UTC).
const NOW = Date.parse("2026-12-07T20:30:00Z");
const ev = (id: string, iso: string, serial = "CAM-1"): IndexedEvent => ({ serial, id, kind: "motion", startedAt: Date.parse(iso) });

describe("merging pages of events", () => {
  it("appends an older page newest first and shows an event fetched twice once", () => {
    const shown = [ev("c", "2026-12-07T20:00:00Z"), ev("b", "2026-12-07T19:00:00Z")];
    const page = [ev("b", "2026-12-07T19:00:00Z"), ev("a", "2026-12-07T18:00:00Z")];
    expect(mergeEvents(shown, page).map((e) => e.id)).toEqual(["c", "b", "a"]);
  });

  it("keeps two cameras' events with the same id apart", () => {
    const merged = mergeEvents([ev("x", "2026-12-07T20:00:00Z", "CAM-1")], [ev("x", "2026-12-07T20:00:00Z", "CAM-2")]);
    expect(merged.map((e) => e.serial)).toEqual(["CAM-1", "CAM-2"]);
  });

  it("asks for the next page before the oldest event shown, and for the first page with nothing shown", () => {
    expect(olderThan([ev("b", "2026-12-07T20:00:00Z"), ev("a", "2026-12-07T18:00:00Z")])).toBe(Date.parse("2026-12-07T18:00:00Z"));
    expect(olderThan([])).toBeUndefined();
  });
});

describe("the timeline's days", () => {
  it("groups newest-first events by the viewer's local day: Today, Yesterday, then the date", () => {
    const days = groupByDay(
      [
        ev("late", "2026-12-07T20:10:00Z"),
        // 00:30 on the 7th in Berlin, still the 6th in UTC: today for this viewer.
        ev("just-after-midnight", "2026-12-06T23:30:00Z"),
        ev("yesterday", "2026-12-06T12:00:00Z"),
        ev("older", "2026-12-01T08:00:00Z"),
      ],
      NOW,
      BERLIN,
    );
    expect(days.map((d) => [d.label, d.events.map((e) => e.id)])).toEqual([
      ["Today", ["late", "just-after-midnight"]],
      ["Yesterday", ["yesterday"]],
      ["Tuesday 1 December", ["older"]],
    ]);
  });

  it("names a day of another year with its year", () => {
    expect(dayLabel(Date.parse("2025-12-31T12:00:00Z"), NOW, BERLIN)).toMatch(/^Wednesday,? 31 December 2025$/);
  });

  it("counts Yesterday by calendar days across a daylight-saving change", () => {
    // Sunday 29 March 2026: Berlin's clocks went forward, the day had 23 hours.
    const now = Date.parse("2026-03-30T06:00:00Z");
    expect(dayLabel(Date.parse("2026-03-29T00:30:00Z"), now, BERLIN)).toBe("Yesterday");
    expect(dayKey(Date.parse("2026-03-29T22:30:00Z"), BERLIN)).toBe("2026-03-30");
  });
});

describe("a row's words", () => {
  it("shows the time in the viewer's zone", () => {
    expect(eventTime(Date.parse("2026-12-07T13:05:00Z"), BERLIN)).toBe("14:05");
  });

  it("names the camera, or by its serial when it is no longer in the list", () => {
    const cameras = [{ serial: "CAM-1", name: "Porch" }];
    expect(cameraNameOf(cameras, "CAM-1")).toBe("Porch");
    expect(cameraNameOf(cameras, "CAM-9")).toBe("CAM-9");
    expect(cameraNameOf(null, "CAM-1")).toBe("CAM-1");
  });

  it("offers the cameras whose events the person may see in the filter, by name — not those shared as guest", () => {
    const cams = [
      { serial: "C", name: "Yard", role: "viewer" as const },
      { serial: "A", name: "Porch", role: "owner" as const },
      { serial: "B", name: "Neighbour", role: "guest" as const },
    ];
    expect(filterableCameras(cams).map((c) => c.name)).toEqual(["Porch", "Yard"]);
  });
});
