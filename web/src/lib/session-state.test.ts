import { describe, expect, it } from "vitest";
import { currentStage, initialSessionState, sessionReducer, type SessionEvent, type SessionState } from "./session-state.ts";
import type { PathInfo } from "./path-classification.ts";

const run = (events: SessionEvent[], from: SessionState = initialSessionState) => events.reduce(sessionReducer, from);

const HAPPY: SessionEvent[] = [
  { type: "connect", at: 100 },
  { type: "ticket", sessionId: "sess-0001", at: 120 },
  { type: "socket-open", at: 130 },
  { type: "welcome", at: 150 },
  { type: "offer", at: 155 },
  { type: "answer-sent", at: 158 },
  { type: "ice-state", state: "checking", at: 160 },
  { type: "ice-state", state: "connected", at: 200 },
  { type: "connection-state", state: "connected", at: 260 },
  { type: "first-frame", at: 400 },
];

describe("sessionReducer", () => {
  it("starts idle", () => {
    expect(currentStage(initialSessionState)).toBe("idle");
  });

  it("fails a browser without WebRTC with webrtc_unsupported and marks no stage failed", () => {
    const s = run([{ type: "unsupported" }]);
    expect(s.phase).toBe("failed");
    expect(s.error).toEqual({ code: "webrtc_unsupported" });
    expect(Object.values(s.stages)).toEqual(["pending", "pending", "pending", "pending"]);
    expect(s.signaling).toBe("closed");
    expect(s.timings.clickAt).toBeNull();
  });

  it("replaces an earlier failure when WebRTC turns out to be missing", () => {
    const failed = run([{ type: "connect", at: 1 }, { type: "fail", error: { code: "network_error" } }]);
    const s = run([{ type: "unsupported" }], failed);
    expect(s.error?.code).toBe("webrtc_unsupported");
    expect(s.stages.signaling).toBe("pending");
  });

  it("walks signaling → ice → dtls → first frame → live and records each moment", () => {
    const stages = HAPPY.map((_, i) => currentStage(run(HAPPY.slice(0, i + 1))));
    expect(stages).toEqual(["signaling", "signaling", "signaling", "ice", "ice", "ice", "ice", "dtls", "first-frame", "live"]);
    expect(run(HAPPY).timings).toEqual({ clickAt: 100, ticketAt: 120, socketOpenAt: 130, welcomeAt: 150, offerAt: 155, answerSentAt: 158, iceConnectedAt: 200, dtlsConnectedAt: 260, firstFrameAt: 400 });
    expect(Object.values(run(HAPPY).stages)).toEqual(["done", "done", "done", "done"]);
  });

  it("keeps the first ICE-connected time when ICE reconnects", () => {
    const s = run([...HAPPY, { type: "ice-state", state: "disconnected", at: 500 }]);
    expect(s.iceInterrupted).toBe(true);
    const back = run([{ type: "ice-state", state: "connected", at: 600 }], s);
    expect(back.iceInterrupted).toBe(false);
    expect(back.timings.iceConnectedAt).toBe(200);
  });

  it("takes a DTLS transport 'connected' as the DTLS stage even before connectionState", () => {
    const s = run([...HAPPY.slice(0, 8), { type: "dtls-state", state: "connected", at: 250 }]);
    expect(s.stages.dtls).toBe("done");
    expect(s.timings.dtlsConnectedAt).toBe(250);
    expect(run([{ type: "connection-state", state: "connected", at: 260 }], s).timings.dtlsConnectedAt).toBe(250);
  });

  it("fails the ICE stage with ice_failed when checks never succeed", () => {
    const s = run([...HAPPY.slice(0, 7), { type: "ice-state", state: "failed", at: 300 }]);
    expect(s.phase).toBe("failed");
    expect(s.stages.ice).toBe("failed");
    expect(s.error).toEqual({ code: "ice_failed" });
    expect(currentStage(s)).toBe("failed");
  });

  it("reconnects instead of failing when a live connection fails, and reports connection_lost when the session gives up", () => {
    const s = run([...HAPPY, { type: "connection-state", state: "failed", at: 900 }]);
    expect(s.phase).toBe("reconnecting");
    expect(s.error).toBeNull();
    expect(run([{ type: "fail", error: { code: "connection_lost" } }], s).error?.code).toBe("connection_lost");
  });

  it("shows reconnecting while an ICE restart runs and returns to live on the same session", () => {
    const down = run([...HAPPY, { type: "ice-state", state: "disconnected", at: 500 }, { type: "connection-state", state: "disconnected", at: 500 }]);
    expect(currentStage(down)).toBe("reconnecting");
    const restarting = run([{ type: "ice-restart", reason: "ice disconnected" }, { type: "ice-state", state: "checking", at: 1600 }], down);
    expect(restarting.phase).toBe("reconnecting");
    expect(restarting.iceRestarts).toBe(1);
    const iceBack = run([{ type: "ice-state", state: "connected", at: 1700 }], restarting);
    expect(iceBack.phase).toBe("reconnecting"); // DTLS/connection state not back yet
    const back = run([{ type: "connection-state", state: "connected", at: 1710 }], iceBack);
    expect(back.phase).toBe("live");
    expect(back.sessionId).toBe("sess-0001");
    expect(back.iceRestarts).toBe(1);
    expect(back.timings).toEqual(run(HAPPY).timings);
  });

  it("keeps reconnecting through ICE failed once it was live", () => {
    const s = run([...HAPPY, { type: "ice-state", state: "disconnected", at: 500 }, { type: "ice-state", state: "failed", at: 5000 }]);
    expect(s.phase).toBe("reconnecting");
    expect(run([{ type: "ice-state", state: "connected", at: 6000 }], s).phase).toBe("live");
  });

  it("keeps the video when signaling closes after media connected", () => {
    const s = run([...HAPPY, { type: "signaling-closed" }]);
    expect(s.phase).toBe("live");
    expect(s.signaling).toBe("lost");
    expect(s.error).toBeNull();
  });

  it("stays live while the signaling socket is being resumed, and shows it open again once resumed", () => {
    const resuming = run([...HAPPY, { type: "signaling-resuming" }]);
    expect(resuming.phase).toBe("live");
    expect(resuming.signaling).toBe("resuming");
    const back = run([{ type: "signaling-resumed" }], resuming);
    expect(back.signaling).toBe("open");
    expect(back.stages).toEqual(resuming.stages);
  });

  it("keeps waiting for the first frame when signaling closes after DTLS", () => {
    const s = run([...HAPPY.slice(0, 9), { type: "signaling-closed", code: "session_ended" }]);
    expect(s.phase).toBe("connecting");
    expect(s.signaling).toBe("lost");
  });

  it("fails with the close reason's code when signaling closes before media", () => {
    const s = run([...HAPPY.slice(0, 3), { type: "signaling-closed", code: "device_offline" }]);
    expect(s.error?.code).toBe("device_offline");
    expect(s.stages.signaling).toBe("failed");
  });

  it("keeps the signaling error frame's code over the close that follows it", () => {
    const s = run([...HAPPY.slice(0, 4), { type: "signaling-error", code: "device_offline" }, { type: "signaling-closed", code: "internal" }]);
    expect(s.error?.code).toBe("device_offline");
    expect(s.signaling).toBe("closed");
  });

  it("ends a live session when the owner revokes the share, even though media still flows", () => {
    const s = run([...HAPPY, { type: "signaling-error", code: "access_revoked" }, { type: "signaling-closed", code: "access_revoked" }]);
    expect(s.phase).toBe("failed");
    expect(s.error?.code).toBe("access_revoked");
  });

  it("ends a live session when the edge dropped it for missed heartbeats (the camera closed its side)", () => {
    const s = run([...HAPPY, { type: "signaling-error", code: "heartbeat_timeout" }, { type: "signaling-closed", code: "heartbeat_timeout" }]);
    expect(s.phase).toBe("failed");
    expect(s.error?.code).toBe("heartbeat_timeout");
  });

  it("ends a live session when its account was signed out everywhere, even though media still flows", () => {
    const s = run([...HAPPY, { type: "signaling-error", code: "signed_out" }, { type: "signaling-closed", code: "signed_out" }]);
    expect(s.phase).toBe("failed");
    expect(s.error?.code).toBe("signed_out");
  });

  it("ends a live session on a revoking close reason without an error frame", () => {
    expect(run([...HAPPY, { type: "signaling-closed", code: "access_revoked" }]).error?.code).toBe("access_revoked");
  });

  it("keeps how many watch and the limit when the camera is busy", () => {
    const s = run([...HAPPY.slice(0, 3), { type: "signaling-error", code: "device_busy", watching: 3, limit: 3 }, { type: "signaling-closed", code: "device_busy" }]);
    expect(s.error).toEqual({ code: "device_busy", watching: 3, limit: 3 });
  });

  it("falls back to signaling_closed for a close without a code", () => {
    expect(run([...HAPPY.slice(0, 3), { type: "signaling-closed" }]).error?.code).toBe("signaling_closed");
  });

  it("explains a session-end from the camera with its reason", () => {
    const s = run([...HAPPY, { type: "session-end", reason: "camera rebooting" }]);
    expect(s.error).toEqual({ code: "camera_ended", detail: "camera rebooting" });
  });

  it("ignores late events after the user disconnects", () => {
    const s = run([...HAPPY, { type: "disconnect" }, { type: "ice-state", state: "failed", at: 1 }, { type: "first-frame", at: 2 }]);
    expect(s.phase).toBe("ended");
    expect(s.error).toBeNull();
  });

  it("records path and RTT from stats and the data channel", () => {
    const path = { kind: "lan", label: "LAN direct", rttMs: 3 } as PathInfo;
    const s = run([...HAPPY, { type: "stats", path, video: null }, { type: "dc-rtt", ms: 5 }]);
    expect(s).toMatchObject({ path, rttMs: 3, dcRttMs: 5 });
  });

  it("starts a fresh attempt on connect after a failure", () => {
    const failed = run([...HAPPY.slice(0, 3), { type: "fail", error: { code: "network_error" } }]);
    const again = run([{ type: "connect", at: 5000 }], failed);
    expect(again.error).toBeNull();
    expect(again.timings.clickAt).toBe(5000);
    expect(currentStage(again)).toBe("signaling");
  });
});
