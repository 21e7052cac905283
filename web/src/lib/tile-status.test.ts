import { describe, expect, it } from "vitest";
import type { SessionState } from "./session-state.ts";
import { shouldAutoConnect, tileStatus } from "./tile-status.ts";

const online = { online: true };
const at = (phase: SessionState["phase"], error: SessionState["error"] = null) => ({ phase, error });

describe("a multi-view tile's status line", () => {
  it("says Live while the camera plays", () => {
    expect(tileStatus(at("live"), online)).toEqual({ tone: "live", text: "Live", retry: false });
  });

  it("says Connecting… before the first frame and Reconnecting… while a broken path is repaired", () => {
    expect(tileStatus(at("connecting"), online).text).toBe("Connecting…");
    expect(tileStatus(at("reconnecting"), online).text).toBe("Reconnecting…");
  });

  it("says how full a camera at its viewer limit is, with a retry", () => {
    expect(tileStatus(at("failed", { code: "device_busy", watching: 3, limit: 3 }), online)).toEqual({ tone: "busy", text: "3 of 3 viewers — full", retry: true });
  });

  it("still says full when the edge gave no counts", () => {
    expect(tileStatus(at("failed", { code: "device_busy" }), online)).toMatchObject({ tone: "busy", text: "All viewer slots taken — full" });
  });

  it("says Offline for a camera that is not connected, and does not try it", () => {
    expect(tileStatus(at("idle"), { online: false })).toEqual({ tone: "offline", text: "Offline", retry: false });
    expect(tileStatus(at("failed", { code: "device_offline" }), online)).toMatchObject({ tone: "offline", text: "Offline", retry: true });
  });

  it("names any other failure by its short title, with a retry", () => {
    expect(tileStatus(at("failed", { code: "ice_failed" }), online)).toMatchObject({ tone: "error", retry: true });
    expect(tileStatus(at("failed", { code: "ice_failed" }), online).text).not.toBe("");
    expect(tileStatus(at("failed", { code: "something_new" }), online).text).toBe("Something went wrong");
  });
});

describe("when a tile starts on its own", () => {
  const cam = (online: boolean, viewers = 0, maxViewers = 3) => ({ online, viewers, maxViewers });

  it("starts an online camera at once and waits for an offline one", () => {
    expect(shouldAutoConnect(at("idle"), cam(true))).toBe(true);
    expect(shouldAutoConnect(at("idle"), cam(false))).toBe(false);
  });

  it("starts again when a camera that was offline is back", () => {
    expect(shouldAutoConnect(at("failed", { code: "device_offline" }), cam(true))).toBe(true);
  });

  it("starts again when a full camera has a free slot, and not before", () => {
    expect(shouldAutoConnect(at("failed", { code: "device_busy", watching: 3, limit: 3 }), cam(true, 3, 3))).toBe(false);
    expect(shouldAutoConnect(at("failed", { code: "device_busy", watching: 3, limit: 3 }), cam(true, 2, 3))).toBe(true);
  });

  it("leaves a playing tile and other failures alone", () => {
    expect(shouldAutoConnect(at("live"), cam(true))).toBe(false);
    expect(shouldAutoConnect(at("connecting"), cam(true))).toBe(false);
    expect(shouldAutoConnect(at("failed", { code: "ice_failed" }), cam(true))).toBe(false);
  });
});
