// Heartbeat: a viewer that stops pinging is closed within seconds, freeing its slot.
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../../protocol/index.ts";
import { closes, FakeHub, sentTo } from "../../test/support/fake-hub.ts";
import { presenceOf } from "./conns.ts";
import { VIEWER_GRACE_MS } from "./grace.ts";
import { lastActivity, nextHeartbeatAt, VIEWER_HEARTBEAT_TIMEOUT_MS } from "./heartbeat.ts";
import type { ViewerConn } from "./types.ts";

const DEVICE_HELLO = { type: "hello", v: PROTOCOL_VERSION, agent: { version: "1", source: "unit", videoCodecs: ["VP8"], audio: false } };

function hubWithViewer() {
  const hub = new FakeHub("CAM-BEAT-1");
  const d = hub.connectDevice().id;
  hub.fromDevice(d, DEVICE_HELLO);
  const v = hub.connectViewer("S-BEAT-0001").id;
  hub.fromViewer(v, { type: "hello", v: PROTOCOL_VERSION });
  return { hub, d, v };
}

describe("viewer heartbeat", () => {
  it("keeps a viewer whose pings workerd answered recently", () => {
    const { hub, v } = hubWithViewer();
    hub.advance(VIEWER_HEARTBEAT_TIMEOUT_MS + 5_000);
    expect(hub.heartbeat({ [v]: hub.state().now - 4_000 })).toEqual([]);
  });

  it("closes a silent viewer's socket with heartbeat_timeout (4408) and keeps its session in grace for a resume", () => {
    const { hub, d, v } = hubWithViewer();
    hub.advance(VIEWER_HEARTBEAT_TIMEOUT_MS + 1);
    const effects = hub.heartbeat();
    expect(closes(effects)).toEqual([{ to: v, code: 4408, reason: "heartbeat_timeout" }]);
    // No error frame: a viewer that was only off the network resumes instead of giving up.
    expect(sentTo(effects, v)).toEqual([]);
    expect(sentTo(effects, d)).toEqual([]);
    expect(hub.grace.map((g) => g.conn.sessionId)).toEqual(["S-BEAT-0001"]);
  });

  it("ends a silent viewer's session on the device once its grace ran out, freeing the slot", () => {
    const { hub, d } = hubWithViewer();
    hub.advance(VIEWER_HEARTBEAT_TIMEOUT_MS + 1);
    hub.heartbeat();
    hub.advance(VIEWER_GRACE_MS);
    const effects = hub.heartbeat();
    expect(sentTo(effects, d)).toEqual([{ type: "session-end", sessionId: "S-BEAT-0001", reason: expect.any(String) }]);
    expect(presenceOf(hub.state()).viewers).toBe(0);
  });

  it("counts the last frame the viewer sent as a sign of life", () => {
    const conn = { connectedAt: 1_000, lastActiveAt: 9_000 } as ViewerConn;
    expect(lastActivity(conn, 5_000)).toBe(9_000);
    expect(lastActivity(conn, 12_000)).toBe(12_000);
    expect(lastActivity({ connectedAt: 1_000 } as ViewerConn, undefined)).toBe(1_000);
  });

  it("closes a viewer that never said hello once it has been silent too long, without telling the device", () => {
    const hub = new FakeHub();
    const d = hub.connectDevice().id;
    hub.fromDevice(d, DEVICE_HELLO);
    const v = hub.connectViewer("S-MUTE-0001").id;
    hub.advance(VIEWER_HEARTBEAT_TIMEOUT_MS + 1);
    const effects = hub.heartbeat();
    expect(closes(effects)).toEqual([{ to: v, code: 4408, reason: "heartbeat_timeout" }]);
    expect(sentTo(effects, d)).toEqual([]);
  });

  it("keeps the alarm running only while a viewer is connected", () => {
    const { hub, v } = hubWithViewer();
    expect(nextHeartbeatAt(hub.state())).toBe(hub.state().now + 5_000);
    hub.fromViewer(v, { type: "bye" });
    expect(nextHeartbeatAt(hub.state())).toBeNull();
  });
});
