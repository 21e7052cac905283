import { describe, expect, it } from "vitest";
import { AUTOPLAY_GRACE_MS, needsTapToPlay, type PlaybackSnapshot } from "./autoplay.ts";

const refused: PlaybackSnapshot = { phase: "connecting", hasStream: true, paused: true, pausedForMs: AUTOPLAY_GRACE_MS };

describe("needsTapToPlay", () => {
  it("asks for a tap when the stream has sat paused for the grace period", () => {
    expect(needsTapToPlay(refused)).toBe(true);
    expect(needsTapToPlay({ ...refused, phase: "live" })).toBe(true);
  });

  it("waits out the grace period (play() may still be resolving)", () => {
    expect(needsTapToPlay({ ...refused, pausedForMs: AUTOPLAY_GRACE_MS - 1 })).toBe(false);
  });

  it("does not ask while the video plays", () => {
    expect(needsTapToPlay({ ...refused, paused: false })).toBe(false);
  });

  it("does not ask before the stream arrived", () => {
    expect(needsTapToPlay({ ...refused, hasStream: false })).toBe(false);
  });

  it("does not ask once the session failed or ended (the picture is a leftover)", () => {
    expect(needsTapToPlay({ ...refused, phase: "failed" })).toBe(false);
    expect(needsTapToPlay({ ...refused, phase: "ended" })).toBe(false);
  });
});
