// Session history: every session that started is recorded once with its end, however it ends.
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../../protocol/index.ts";
import { closes, FakeHub, sentTo, sessionRecords } from "../../test/support/fake-hub.ts";
import { DEVICE_AWAY_MS } from "./device-events.ts";
import { VIEWER_GRACE_MS } from "./grace.ts";

const DEVICE_HELLO = { type: "hello", v: PROTOCOL_VERSION, agent: { version: "1", source: "unit", videoCodecs: ["VP8"], audio: false } };
const HELLO = { type: "hello", v: PROTOCOL_VERSION };

function onlineHub() {
  const hub = new FakeHub("CAM-REC-1");
  const d = hub.connectDevice().id;
  hub.fromDevice(d, DEVICE_HELLO);
  return { hub, d };
}

describe("session records", () => {
  it("records the start at hello with the user and role from the grant", () => {
    const { hub } = onlineHub();
    const v = hub.connectViewer("S-REC-0001", undefined, { userId: "u-1", sessionRole: "guest" }).id;
    expect(sessionRecords(hub.fromViewer(v, HELLO))).toEqual([
      { op: "start", sessionId: "S-REC-0001", serial: "CAM-REC-1", userId: "u-1", role: "guest", at: hub.state().now },
    ]);
  });

  it("records the path the viewer reports", () => {
    const { hub } = onlineHub();
    const v = hub.connectViewer("S-REC-0001").id;
    hub.fromViewer(v, HELLO);
    expect(sessionRecords(hub.fromViewer(v, { type: "path", path: "relay" }))).toEqual([{ op: "path", sessionId: "S-REC-0001", path: "relay" }]);
  });

  it("records the end once when the viewer says bye and its socket then closes", () => {
    const { hub } = onlineHub();
    const v = hub.connectViewer("S-REC-0001").id;
    hub.fromViewer(v, HELLO);
    expect(sessionRecords(hub.fromViewer(v, { type: "bye" }))).toEqual([expect.objectContaining({ op: "end", sessionId: "S-REC-0001", reason: "session_ended" })]);
    expect(sessionRecords(hub.viewerClosed(v, 1000))).toEqual([]);
  });

  it("records the end once the viewer whose socket vanished did not come back within the grace period", () => {
    const { hub } = onlineHub();
    const v = hub.connectViewer("S-REC-0001").id;
    hub.fromViewer(v, HELLO);
    expect(sessionRecords(hub.viewerClosed(v, 1006))).toEqual([]);
    hub.advance(VIEWER_GRACE_MS);
    expect(sessionRecords(hub.heartbeat())).toEqual([expect.objectContaining({ op: "end", sessionId: "S-REC-0001", reason: expect.stringContaining("did not come back") })]);
  });

  it("keeps one record for a resumed session: no second start, no end when its socket is replaced", () => {
    const { hub } = onlineHub();
    const v = hub.connectViewer("S-REC-0001").id;
    hub.fromViewer(v, HELLO);
    hub.viewerClosed(v, 1006);
    const r = hub.resumeViewer("S-REC-0001", `resume-${v}`);
    expect(sessionRecords([...r.effects, ...hub.fromViewer(r.id, HELLO)])).toEqual([]);
  });

  it("records the end of every session when the camera goes away for good", () => {
    const { hub, d } = onlineHub();
    for (const sid of ["S-REC-0001", "S-REC-0002"]) hub.fromViewer(hub.connectViewer(sid).id, HELLO);
    hub.deviceClosed(d, 1006);
    hub.advance(DEVICE_AWAY_MS);
    expect(sessionRecords(hub.heartbeat()).map((r) => [r.op, r.sessionId, "reason" in r ? r.reason : ""])).toEqual([
      ["end", "S-REC-0001", "device_offline"],
      ["end", "S-REC-0002", "device_offline"],
    ]);
  });

  it("records nothing for a viewer refused before hello", () => {
    const { hub } = onlineHub();
    hub.connectViewer("S-REC-0001", undefined, { maxViewers: 1 });
    expect(sessionRecords(hub.connectViewer("S-REC-0002", undefined, { maxViewers: 1 }).effects)).toEqual([]);
  });
});

describe("ending sessions from the edge", () => {
  it("ends only the named user's sessions with the given code and tells the device", () => {
    const { hub, d } = onlineHub();
    const a = hub.connectViewer("S-USR-0001", undefined, { userId: "alice" }).id;
    const b = hub.connectViewer("S-USR-0002", undefined, { userId: "bob" }).id;
    hub.fromViewer(a, HELLO);
    hub.fromViewer(b, HELLO);
    const effects = hub.endSessions("access_revoked", "bob");
    expect(closes(effects)).toEqual([{ to: b, code: 4403, reason: "access_revoked" }]);
    expect(sentTo(effects, b)).toEqual([expect.objectContaining({ type: "error", code: "access_revoked" })]);
    expect(sentTo(effects, d)).toEqual([{ type: "session-end", sessionId: "S-USR-0002", reason: "access_revoked" }]);
    expect(sessionRecords(effects)).toEqual([expect.objectContaining({ op: "end", sessionId: "S-USR-0002", reason: "access_revoked" })]);
  });

  it("ends every session, including ones still waiting for hello", () => {
    const { hub } = onlineHub();
    hub.fromViewer(hub.connectViewer("S-ALL-0001").id, HELLO);
    hub.connectViewer("S-ALL-0002");
    expect(closes(hub.endSessions("device_offline"))).toHaveLength(2);
  });
});
