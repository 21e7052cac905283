import { describe, expect, it } from "vitest";
import { startReplayMissed, viewerDoneLateMs } from "./media-start.ts";

describe("media start at the camera's DTLS done", () => {
  it("expects the viewer's first data about a round trip after media started", () => {
    expect(viewerDoneLateMs(40)).toBe(90);
    expect(startReplayMissed(60, 40)).toBe(false);
  });

  it("resends the start replay when the viewer was done much later (its last flight was lost)", () => {
    // Chromium retransmits its flight after 50 ms, then the camera's flight 6 comes again.
    expect(startReplayMissed(40 + 50 + 40 + 10, 40)).toBe(true);
  });

  it("assumes a 200 ms round trip when none was measured", () => {
    expect(viewerDoneLateMs(undefined)).toBe(330);
    expect(viewerDoneLateMs(Number.NaN)).toBe(330);
    expect(startReplayMissed(300, undefined)).toBe(false);
  });
});
