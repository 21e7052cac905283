// Why a camera connection ended, decided where the hub still knows: the owner's "why is my
// camera offline" rests on these verdicts.
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../../protocol/index.ts";
import { closes, FakeHub } from "../../test/support/fake-hub.ts";
import { deviceLastSeen, orphanedConnections, reasonForClose } from "./connection-end.ts";
import type { DeviceConn } from "./types.ts";

const DEVICE_HELLO = { type: "hello", v: PROTOCOL_VERSION, agent: { version: "1", source: "unit", videoCodecs: ["VP8"], audio: false } };
const ends = FakeHub.ends;

function onlineHub() {
  const hub = new FakeHub("CAM-END-1");
  const { id, effects } = hub.connectDevice();
  hub.fromDevice(id, DEVICE_HELLO);
  return { hub, d: id, opened: effects };
}

describe("reasonForClose", () => {
  it("reads a close frame with 1000 or 1001 as the agent stopping cleanly", () => {
    expect(reasonForClose(1000)).toBe("clean-stop");
    expect(reasonForClose(1001)).toBe("clean-stop");
  });

  it("reads 1006 (no close frame) and 1015 (TLS failed) as a lost connection", () => {
    expect(reasonForClose(1006)).toBe("connection-lost");
    expect(reasonForClose(1015)).toBe("connection-lost");
  });

  it("reads a refused frame (1002, 1003, 1007–1010) as a protocol error", () => {
    for (const code of [1002, 1003, 1007, 1008, 1009, 1010]) expect(reasonForClose(code), String(code)).toBe("protocol-error");
  });
});

describe("device connection records", () => {
  it("opens a record when a camera socket is accepted", () => {
    const { d, opened } = onlineHub();
    expect(opened.filter((e) => e.type === "connection-open").map((e) => (e as { conn: DeviceConn }).conn.id)).toEqual([d]);
  });

  it("records a clean stop with its close code and last-seen time", () => {
    const { hub, d } = onlineHub();
    hub.advance(5_000);
    const effects = hub.deviceClosed(d, 1000, "agent stopping");
    expect(ends(effects)).toEqual([{ connId: d, reason: "clean-stop", closeCode: 1000, endedAt: hub.state().now, lastSeenAt: hub.conn<DeviceConn>(d).connectedAt }]);
  });

  it("records a socket dropped without a close frame as connection-lost", () => {
    const { hub, d } = onlineHub();
    expect(ends(hub.deviceClosed(d, 1006))).toMatchObject([{ connId: d, reason: "connection-lost", closeCode: 1006 }]);
  });

  it("records the older socket as replaced (4000) when another connection of the serial arrives", () => {
    const { hub, d } = onlineHub();
    const { id: d2, effects } = hub.connectDevice();
    expect(closes(effects)).toEqual([{ to: d, code: 4000, reason: "device_replaced" }]);
    expect(ends(effects)).toMatchObject([{ connId: d, reason: "replaced", closeCode: 4000 }]);
    // Its own close event afterwards changes nothing: the verdict was taken when it was replaced.
    expect(ends(hub.deviceClosed(d, 4000))).toEqual([]);
    expect(ends(hub.deviceClosed(d2, 1000))).toMatchObject([{ connId: d2, reason: "clean-stop" }]);
  });

  it("records a refused frame as a protocol error with the close code sent (1008, 1009)", () => {
    const { hub, d } = onlineHub();
    expect(ends(hub.fromDevice(d, "{not json"))).toMatchObject([{ connId: d, reason: "protocol-error", closeCode: 1008 }]);
    const { id: d2 } = hub.connectDevice();
    expect(ends(hub.fromDevice(d2, { type: "offer", sessionId: "S-1" }))).toMatchObject([{ connId: d2, reason: "protocol-error", closeCode: 1008 }]);
  });

  it("records an unsupported protocol version as a protocol error", () => {
    const hub = new FakeHub();
    const { id } = hub.connectDevice();
    expect(ends(hub.fromDevice(id, { ...DEVICE_HELLO, v: 999 }))).toMatchObject([{ connId: id, reason: "protocol-error", closeCode: 4001 }]);
  });

  it("takes the edge's own verdict for a socket it cut (revoked, token superseded)", () => {
    const { hub, d } = onlineHub();
    const effects = hub.run({ type: "device-closed", conn: hub.conn<DeviceConn>(d), code: 4403, reason: "device_revoked", final: true, ended: "token-revoked" });
    expect(ends(effects)).toMatchObject([{ connId: d, reason: "token-revoked", closeCode: 4403 }]);
  });

  it("takes the last sign of life from a frame or a ping, whichever is later", () => {
    const conn: DeviceConn = { role: "device", id: "d", serial: "S", phase: "ready", connectedAt: 100 };
    expect(deviceLastSeen(conn)).toBe(100);
    expect(deviceLastSeen({ ...conn, lastActiveAt: 500, lastPongAt: 300 })).toBe(500);
    expect(deviceLastSeen({ ...conn, lastActiveAt: 500, lastPongAt: 900 })).toBe(900);
  });
});

describe("orphanedConnections", () => {
  it("ends connections noted open whose socket the hub no longer holds as edge-restart, keeping when each was last seen", () => {
    const open = [
      { id: "gone", connectedAt: 1_000, lastSeen: 40_000 },
      { id: "live", connectedAt: 2_000, lastSeen: 2_000 },
    ];
    const effects = orphanedConnections("CAM-R", open, new Set(["live"]), 100_000);
    expect(FakeHub.ends(effects)).toEqual([{ connId: "gone", reason: "edge-restart", closeCode: null, endedAt: 100_000, lastSeenAt: 40_000 }]);
    expect(effects.some((e) => e.type === "log" && e.event.event === "device_connection_ended")).toBe(true);
  });

  it("finds nothing when every noted connection still has its socket", () => {
    expect(orphanedConnections("CAM-R", [{ id: "a", connectedAt: 1, lastSeen: 1 }], new Set(["a"]), 5)).toEqual([]);
  });
});
