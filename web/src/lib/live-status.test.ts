import { describe, expect, it } from "vitest";
import { liveStatus } from "./live-status.ts";
import type { PathInfo } from "./path-classification.ts";
import { initialSessionState, type SessionState } from "./session-state.ts";

const path = (kind: PathInfo["kind"]): PathInfo => ({
  kind,
  label: kind,
  pairId: "p",
  local: { type: "host", address: null, port: null, protocol: "udp", relayProtocol: null },
  remote: { type: "host", address: null, port: null, protocol: "udp", relayProtocol: null },
  rttMs: 3,
  nominated: true,
});

const state = (over: Partial<SessionState>): SessionState => ({ ...initialSessionState, ...over });
const live = (over: Partial<SessionState> = {}) => state({ phase: "live", timings: { ...initialSessionState.timings, firstFrameAt: 10 }, ...over });

describe("live status line", () => {
  it("says how the picture travels once it plays: on your network, direct, or via relay", () => {
    expect(liveStatus(live({ path: path("lan") }))).toEqual({ text: "Live · on your network", tone: "live" });
    expect(liveStatus(live({ path: path("p2p") }))).toEqual({ text: "Live · direct", tone: "live" });
    expect(liveStatus(live({ path: path("relay") }))).toEqual({ text: "Live · via relay", tone: "live" });
  });

  it("says just Live until the path is known", () => {
    expect(liveStatus(live()).text).toBe("Live");
  });

  it("says Connecting… and Reconnecting… while the picture is on its way", () => {
    expect(liveStatus(state({ phase: "connecting" }))).toEqual({ text: "Connecting…", tone: "busy" });
    expect(liveStatus(state({ phase: "reconnecting" }))).toEqual({ text: "Reconnecting…", tone: "busy" });
  });

  it("warns Reconnecting… while the network is interrupted but the session still counts as live", () => {
    expect(liveStatus(live({ path: path("p2p"), iceInterrupted: true }))).toEqual({ text: "Reconnecting…", tone: "warn" });
  });

  it("keeps Live while only the signaling socket is resuming: the video is still peer to peer", () => {
    expect(liveStatus(live({ path: path("p2p"), signaling: "resuming" })).text).toBe("Live · direct");
  });

  it("tells a failure to connect from a connection lost after the picture played", () => {
    expect(liveStatus(state({ phase: "failed", error: { code: "device_offline" } }))).toEqual({ text: "Couldn't connect", tone: "bad" });
    expect(liveStatus(state({ phase: "failed", timings: { ...initialSessionState.timings, firstFrameAt: 5 } })).text).toBe("Connection lost");
    expect(liveStatus(state({ phase: "failed", error: { code: "webrtc_unsupported" } })).text).toBe("Can't play here");
  });

  it("says Stopped after the person stopped it, and Not playing before anything started", () => {
    expect(liveStatus(state({ phase: "ended" }))).toEqual({ text: "Stopped", tone: "off" });
    expect(liveStatus(state({ phase: "idle" }))).toEqual({ text: "Not playing", tone: "off" });
  });
});
