import { describe, expect, it } from "vitest";
import type { IndexedEvent } from "../../../protocol/events-api.ts";
import { nextThumbnailRun, THUMBNAILS_PER_SESSION } from "./event-timeline-thumbnails.ts";

const ev = (serial: string, id: string, startedAt: number): IndexedEvent => ({ serial, id, kind: "motion", startedAt });
const cam = (serial: string, more: Partial<{ role: "owner" | "viewer" | "guest"; online: boolean; viewers: number; maxViewers: number }> = {}) => ({
  serial,
  role: "owner" as const,
  online: true,
  viewers: 0,
  maxViewers: 3,
  ...more,
});
const none = () => false;

describe("which camera the events page asks for pictures next", () => {
  it("asks the camera of the newest event without a picture, for its missing ones only, newest first", () => {
    const events = [ev("B", "b2", 9), ev("A", "a2", 8), ev("B", "b1", 7), ev("A", "a1", 6)];
    const kept = new Set(["B/b2"]);
    const run = nextThumbnailRun(events, [cam("A"), cam("B")], (e) => kept.has(`${e.serial}/${e.id}`), new Set());
    expect(run).toEqual({ serial: "A", events: [ev("A", "a2", 8), ev("A", "a1", 6)] });
  });

  it("asks no camera that is offline, full, shared as guest or already tried", () => {
    const events = [ev("OFF", "1", 5), ev("FULL", "2", 4), ev("GUEST", "3", 3), ev("TRIED", "4", 2), ev("OK", "5", 1)];
    const cameras = [cam("OFF", { online: false }), cam("FULL", { viewers: 3 }), cam("GUEST", { role: "guest" }), cam("TRIED"), cam("OK", { role: "viewer" })];
    expect(nextThumbnailRun(events, cameras, none, new Set(["TRIED"]))?.serial).toBe("OK");
    expect(nextThumbnailRun(events, cameras, none, new Set(["TRIED", "OK"]))).toBeNull();
  });

  it("asks one camera for a few pictures per session", () => {
    const events = Array.from({ length: THUMBNAILS_PER_SESSION + 5 }, (_, i) => ev("A", `e${i}`, 100 - i));
    expect(nextThumbnailRun(events, [cam("A")], none, new Set())?.events).toHaveLength(THUMBNAILS_PER_SESSION);
  });

  it("asks nothing when every event shown has its picture, or the cameras are not known yet", () => {
    expect(nextThumbnailRun([ev("A", "1", 1)], [cam("A")], () => true, new Set())).toBeNull();
    expect(nextThumbnailRun([ev("A", "1", 1)], null, none, new Set())).toBeNull();
  });
});
