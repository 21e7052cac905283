import { describe, expect, it } from "vitest";
import { createPingTracker } from "./ping-tracker.ts";

describe("createPingTracker", () => {
  it("measures the round trip of an answered ping from our own send time", () => {
    const t = createPingTracker();
    const ping = t.next(1000);
    expect(t.answer({ id: ping.id, t: 0 }, 1012.4)).toBe(12);
  });

  it("ignores a pong for a ping it never sent or already answered", () => {
    const t = createPingTracker();
    const ping = t.next(0);
    expect(t.answer({ id: 99, t: 0 }, 5)).toBeNull();
    expect(t.answer(ping, 5)).toBe(5);
    expect(t.answer(ping, 6)).toBeNull();
  });

  it("forgets the oldest pings beyond the limit", () => {
    const t = createPingTracker(2);
    const first = t.next(0);
    t.next(1);
    const third = t.next(2);
    expect(t.answer(first, 10)).toBeNull();
    expect(t.answer(third, 10)).toBe(8);
  });
});
