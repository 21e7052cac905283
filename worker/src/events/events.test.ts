import { describe, expect, it } from "vitest";
import { EDGE_EVENTS_PER_MINUTE } from "../../../protocol/events-api.ts";
import { EVENT_WINDOW_MS, EventRate, eventRow, MAX_CAMERA_CLOCK_AHEAD_MS, pageOf, PRUNE_EVERY } from "./index.ts";

const T = Date.parse("2026-12-07T20:00:00.000Z");

describe("the row kept for a camera's event", () => {
  it("holds the serial, id, kind, the camera's start time and when the edge got it — nothing else", () => {
    const row = eventRow("CAM-1", { id: "ev-1", kind: "motion", startedAt: "2026-12-07T19:59:58.000Z" }, T);
    expect(row).toStrictEqual({ serial: "CAM-1", id: "ev-1", kind: "motion", startedAt: T - 2000, receivedAt: T });
  });

  it("keeps a camera clock a little ahead of the edge's, as cameras drift", () => {
    const ahead = new Date(T + MAX_CAMERA_CLOCK_AHEAD_MS).toISOString();
    expect(eventRow("CAM-1", { id: "a", kind: "motion", startedAt: ahead }, T).startedAt).toBe(T + MAX_CAMERA_CLOCK_AHEAD_MS);
  });

  it("takes the edge's time when the camera's clock is far ahead, so its events do not sit on top for good", () => {
    const future = new Date(T + 24 * 3600_000).toISOString();
    expect(eventRow("CAM-1", { id: "a", kind: "motion", startedAt: future }, T).startedAt).toBe(T);
  });

  it("reads a start time with a zone offset as the same instant", () => {
    expect(eventRow("CAM-1", { id: "a", kind: "motion", startedAt: "2026-12-07T21:00:00+01:00" }, T).startedAt).toBe(T);
  });
});

describe("the per-camera event rate", () => {
  it("records up to the minute's cap, drops the rest, and records again once the minute is over", () => {
    const rate = new EventRate();
    const outcomes = Array.from({ length: EDGE_EVENTS_PER_MINUTE + 5 }, (_, i) => rate.admit(T + i));
    expect(outcomes.filter((o) => o !== "drop")).toHaveLength(EDGE_EVENTS_PER_MINUTE);
    expect(outcomes.slice(EDGE_EVENTS_PER_MINUTE)).toEqual(Array(5).fill("drop"));
    expect(rate.admit(T + EVENT_WINDOW_MS)).not.toBe("drop");
  });

  it("prunes on the first recorded event after the hub woke, then every PRUNE_EVERY recorded events", () => {
    const rate = new EventRate(1_000_000);
    const outcomes = Array.from({ length: PRUNE_EVERY * 2 + 1 }, (_, i) => rate.admit(T + i));
    const prunes = outcomes.flatMap((o, i) => (o === "record-and-prune" ? [i] : []));
    expect(prunes).toEqual([0, PRUNE_EVERY, PRUNE_EVERY * 2]);
  });

  it("does not count dropped events towards the next prune", () => {
    const rate = new EventRate(1);
    expect(rate.admit(T)).toBe("record-and-prune");
    expect(rate.admit(T + 1)).toBe("drop");
    expect(rate.admit(T + EVENT_WINDOW_MS)).toBe("record");
  });
});

describe("a page of the event index", () => {
  const ev = (id: string, startedAt: number) => ({ serial: "CAM-1", id, kind: "motion" as const, startedAt });

  it("is everything, with no more, when the rows fit", () => {
    expect(pageOf([ev("a", 3), ev("b", 2)], 2)).toEqual({ events: [ev("a", 3), ev("b", 2)], more: false });
  });

  it("is cut at the limit with more when one row is left over", () => {
    expect(pageOf([ev("a", 3), ev("b", 2), ev("c", 1)], 2)).toEqual({ events: [ev("a", 3), ev("b", 2)], more: true });
  });

  it("leaves events of the first left-out one's millisecond to the next page, so paging by time skips none", () => {
    expect(pageOf([ev("a", 3), ev("b", 2), ev("c", 2)], 2)).toEqual({ events: [ev("a", 3)], more: true });
  });

  it("sends a page that is all one millisecond as it is", () => {
    expect(pageOf([ev("a", 2), ev("b", 2), ev("c", 2)], 2)).toEqual({ events: [ev("a", 2), ev("b", 2)], more: true });
  });
});
