// What a wake decides from storage alone: after hibernation (sockets kept) nothing; after an
// edge restart (sockets gone without a close event) grace and absence start from the wake.
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../../protocol/index.ts";
import { FakeHub } from "../../test/support/fake-hub.ts";
import { presenceOf } from "./conns.ts";
import { DEVICE_AWAY_MS } from "./device-events.ts";
import { VIEWER_GRACE_MS } from "./grace.ts";

const DEVICE_HELLO = { type: "hello", v: PROTOCOL_VERSION, agent: { version: "1", source: "unit", videoCodecs: ["VP8"], audio: false } };
const HELLO = { type: "hello", v: PROTOCOL_VERSION };

function watchedHub() {
  const hub = new FakeHub("CAM-WAKE-1");
  const d = hub.connectDevice().id;
  hub.fromDevice(d, DEVICE_HELLO);
  const v = hub.connectViewer("S-WAKE-0001").id;
  hub.fromViewer(v, HELLO);
  return { hub, d, v };
}

describe("waking the hub from storage", () => {
  it("changes and writes nothing when the sockets survived (a wake from hibernation)", () => {
    const { hub } = watchedHub();
    const effects = hub.run({ type: "wake", sessions: [...hub.memory.sessions.values()], open: [] });
    expect(effects).toEqual([]);
    expect(hub.grace).toEqual([]);
    expect(hub.deviceAwayUntil).toBeNull();
  });

  it("starts the grace of a session whose socket vanished in a restart from the wake, and keeps its slot", () => {
    const { hub } = watchedHub();
    hub.advance(5_000);
    const wokeAt = hub.state().now;
    const effects = hub.restart();
    expect(hub.grace).toEqual([expect.objectContaining({ until: wokeAt + VIEWER_GRACE_MS })]);
    expect(hub.grace[0]?.conn.sessionId).toBe("S-WAKE-0001");
    expect(effects).toContainEqual(expect.objectContaining({ type: "log", event: expect.objectContaining({ event: "viewer_grace", sessionId: "S-WAKE-0001" }) }));
    expect(presenceOf(hub.state()).viewers).toBe(1);
  });

  it("counts the camera away from the wake when its socket vanished with sessions under way", () => {
    const { hub } = watchedHub();
    const wokeAt = hub.state().now;
    hub.restart();
    expect(hub.deviceAwayUntil).toBe(wokeAt + DEVICE_AWAY_MS);
  });

  it("keeps the deadline of a session that was already in grace before the restart", () => {
    const { hub, v } = watchedHub();
    hub.viewerClosed(v, 1006);
    const until = hub.grace[0]?.until;
    hub.advance(3_000);
    hub.restart();
    expect(hub.grace.map((g) => g.until)).toEqual([until]);
  });

  it("leaves a camera without sessions simply offline, not away", () => {
    const hub = new FakeHub("CAM-WAKE-2");
    hub.fromDevice(hub.connectDevice().id, DEVICE_HELLO);
    expect(hub.restart().filter((e) => e.type !== "log")).toEqual([]);
    expect(hub.deviceAwayUntil).toBeNull();
  });

  it("records a device connection noted open without a socket as ended in the edge restart", () => {
    const { hub, d } = watchedHub();
    const effects = hub.restart([{ id: d, connectedAt: 500, lastSeen: 800 }]);
    expect(FakeHub.ends(effects)).toEqual([expect.objectContaining({ connId: d, reason: "edge-restart", closeCode: null, lastSeenAt: 800 })]);
  });
});
