// A camera whose network went away keeps its socket "open" and silent: the edge closes it after
// three missed pings and records it as stopped answering.
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../../protocol/index.ts";
import { closes, FakeHub, sentTo } from "../../test/support/fake-hub.ts";
import { presenceOf } from "./conns.ts";
import { deviceTimeoutMs, nextCheckAt, nextDeviceCheckAt } from "./device-heartbeat.ts";

const DEVICE_HELLO = { type: "hello", v: PROTOCOL_VERSION, agent: { version: "1", source: "unit", videoCodecs: ["VP8"], audio: false } };

function onlineHub() {
  const hub = new FakeHub("CAM-SILENT-1");
  const d = hub.connectDevice().id;
  hub.fromDevice(d, DEVICE_HELLO);
  return { hub, d };
}

describe("device heartbeat", () => {
  it("allows three ping intervals of silence", () => {
    expect(deviceTimeoutMs(30)).toBe(90_000);
    expect(deviceTimeoutMs(2)).toBe(6_000);
  });

  it("keeps a camera whose pings workerd answered recently", () => {
    const { hub, d } = onlineHub();
    hub.advance(deviceTimeoutMs(30) + 10_000);
    expect(hub.heartbeat({ [d]: hub.state().now - 20_000 })).toEqual([]);
    expect(presenceOf(hub.state()).online).toBe(true);
  });

  it("closes a camera silent past the timeout with heartbeat_timeout (4408) and records it as stopped answering", () => {
    const { hub, d } = onlineHub();
    const lastPing = hub.state().now + 10_000;
    hub.advance(10_000 + deviceTimeoutMs(30) + 1);
    const effects = hub.heartbeat({ [d]: lastPing });
    expect(closes(effects)).toEqual([{ to: d, code: 4408, reason: expect.stringMatching(/^heartbeat_timeout/) }]);
    expect(sentTo(effects, d)[0]).toMatchObject({ type: "error", code: "heartbeat_timeout" });
    expect(FakeHub.ends(effects)).toEqual([{ connId: d, reason: "stopped-answering", closeCode: 4408, endedAt: hub.state().now, lastSeenAt: lastPing }]);
    expect(presenceOf(hub.state()).online).toBe(false);
    // The close event that follows is not recorded a second time.
    expect(FakeHub.ends(hub.deviceClosed(d, 4408))).toEqual([]);
  });

  it("plans the next check just after the camera would be overdue, and none without a camera", () => {
    const { hub, d } = onlineHub();
    const connectedAt = hub.conn(d).connectedAt;
    expect(nextDeviceCheckAt(hub.state())).toBe(connectedAt + deviceTimeoutMs(30) + 1_000);
    expect(nextCheckAt(hub.state())).toBe(connectedAt + deviceTimeoutMs(30) + 1_000);
    hub.deviceClosed(d, 1000);
    expect(nextDeviceCheckAt(hub.state())).toBeNull();
    expect(nextCheckAt(hub.state())).toBeNull();
  });

  it("checks the viewers' heartbeat first when a viewer is connected", () => {
    const { hub } = onlineHub();
    const v = hub.connectViewer("S-SILENT-01").id;
    hub.fromViewer(v, { type: "hello", v: PROTOCOL_VERSION });
    expect(nextCheckAt(hub.state())).toBe(hub.state().now + 5_000);
  });
});
