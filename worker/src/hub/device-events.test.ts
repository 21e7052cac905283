// The device side of the hub logic, run as whole scenarios on plain state (no workerd needed).
import { describe, expect, it } from "vitest";
import { MAX_SIGNALING_FRAME_BYTES, PROTOCOL_VERSION } from "../../../protocol/index.ts";
import { closes, FakeHub, recipients, recordsLastSeen, sentTo } from "../../test/support/fake-hub.ts";
import { presenceOf } from "./conns.ts";
import { DEVICE_AWAY_MS } from "./device-events.ts";

const HELLO = {
  type: "hello",
  v: PROTOCOL_VERSION,
  agent: { version: "1.0.0", source: "unit", videoCodecs: ["H264"], audio: true },
};
const SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n";
const CANDIDATE = { candidate: "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", sdpMid: "0", sdpMLineIndex: 0 };

/** A hub whose device `d` is online, with viewers `v1` (session S-ONE-111) and `v2` (S-TWO-222) in session. */
function hubWithTwoViewers() {
  const hub = new FakeHub();
  const d = hub.connectDevice().id;
  hub.fromDevice(d, HELLO);
  const v1 = hub.connectViewer("S-ONE-111").id;
  hub.fromViewer(v1, { type: "hello", v: PROTOCOL_VERSION });
  const v2 = hub.connectViewer("S-TWO-222").id;
  hub.fromViewer(v2, { type: "hello", v: PROTOCOL_VERSION });
  return { hub, d, v1, v2 };
}

describe("device hello", () => {
  it("welcomes a device that says hello with the supported version and marks it online", () => {
    const hub = new FakeHub("CAM-HELLO-1");
    const { id } = hub.connectDevice();
    expect(presenceOf(hub.state()).online).toBe(false);

    const effects = hub.fromDevice(id, HELLO);

    expect(sentTo(effects, id)).toEqual([{ type: "welcome", v: PROTOCOL_VERSION, serial: "CAM-HELLO-1", heartbeatSeconds: 30, accepts: ["status", "event"], stun: ["stun:stun.test.invalid:3478"] }]);
    expect(recordsLastSeen(effects)).toBe(true);
    expect(closes(effects)).toEqual([]);
    expect(presenceOf(hub.state()).online).toBe(true);
  });

  it("refuses a device that speaks an unsupported protocol version with 4001", () => {
    const hub = new FakeHub();
    const { id } = hub.connectDevice();

    const effects = hub.fromDevice(id, { ...HELLO, v: 99 });

    expect(sentTo(effects, id)).toEqual([expect.objectContaining({ type: "error", code: "unsupported_version" })]);
    expect(closes(effects)).toEqual([{ to: id, code: 4001, reason: expect.stringMatching(/^unsupported_version/) }]);
    expect(recordsLastSeen(effects)).toBe(false);
    expect(presenceOf(hub.state()).online).toBe(false);
  });

  it("closes a device whose first frame is not hello with 1008", () => {
    const hub = new FakeHub();
    const { id } = hub.connectDevice();

    const effects = hub.fromDevice(id, { type: "bye", sessionId: "S-ONE-111" });

    expect(closes(effects)).toEqual([{ to: id, code: 1008, reason: expect.stringMatching(/^malformed_message: expected hello/) }]);
    expect(presenceOf(hub.state()).online).toBe(false);
  });

  it("closes a device that says hello twice with 1008 and cuts its viewers", () => {
    const { hub, d, v1 } = hubWithTwoViewers();

    const effects = hub.fromDevice(d, HELLO);

    expect(closes(effects)).toContainEqual({ to: d, code: 1008, reason: expect.stringMatching(/^malformed_message: duplicate hello/) });
    expect(sentTo(effects, v1)).toEqual([expect.objectContaining({ type: "error", code: "device_offline" })]);
  });
});

describe("device replacement", () => {
  it("replaces the first device connection with the second: old closed 4000, viewers kept until the new hello says which sessions it plays", () => {
    const { hub, d, v1, v2 } = hubWithTwoViewers();

    const { id: d2, effects } = hub.connectDevice();

    // The agent reconnected in the same process: its peer connections (and viewers) live on.
    expect(closes(effects)).toEqual([{ to: d, code: 4000, reason: "device_replaced" }]);
    expect(recipients(effects)).toEqual([]);
    expect(sentTo(effects, d2)).toEqual([]);
    expect(recordsLastSeen(effects)).toBe(true);
    expect(hub.deviceAwayUntil).not.toBeNull();
  });

  it("ignores frames and the late close of a replaced device socket", () => {
    const hub = new FakeHub();
    const d1 = hub.connectDevice().id;
    hub.fromDevice(d1, HELLO);
    const d2 = hub.connectDevice().id;
    hub.fromDevice(d2, HELLO);
    const v = hub.connectViewer("S-NEW-0001").id;
    hub.fromViewer(v, { type: "hello", v: PROTOCOL_VERSION });

    expect(hub.fromDevice(d1, { type: "offer", sessionId: "S-NEW-0001", sdp: SDP })).toEqual([]);
    expect(hub.deviceClosed(d1, 1006)).toEqual([]);
    expect(presenceOf(hub.state())).toEqual({ online: true, viewers: 1 });
  });

  it("cuts nobody when the replaced connection had not said hello yet", () => {
    const hub = new FakeHub();
    const d1 = hub.connectDevice().id;
    const { effects } = hub.connectDevice();
    expect(closes(effects)).toEqual([{ to: d1, code: 4000, reason: "device_replaced" }]);
    expect(recordsLastSeen(effects)).toBe(false);
  });
});

describe("device signaling", () => {
  it("routes a device offer only to the viewer of that session", () => {
    const { hub, d, v1, v2 } = hubWithTwoViewers();

    const effects = hub.fromDevice(d, { type: "offer", sessionId: "S-TWO-222", sdp: SDP });

    expect(recipients(effects)).toEqual([v2]);
    expect(sentTo(effects, v2)).toEqual([{ type: "offer", sdp: SDP }]);
    expect(sentTo(effects, v1)).toEqual([]);
  });

  it("routes a device candidate only to the viewer of that session, without the session id", () => {
    const { hub, d, v1 } = hubWithTwoViewers();

    const effects = hub.fromDevice(d, { type: "candidate", sessionId: "S-ONE-111", candidate: CANDIDATE });

    expect(recipients(effects)).toEqual([v1]);
    expect(sentTo(effects, v1)).toEqual([{ type: "candidate", candidate: CANDIDATE }]);
  });

  it("answers an offer for an unknown session with an error and keeps the device connected", () => {
    const { hub, d } = hubWithTwoViewers();

    const effects = hub.fromDevice(d, { type: "offer", sessionId: "S-GONE-999", sdp: SDP });

    expect(sentTo(effects, d)).toEqual([{ type: "error", code: "session_ended", message: expect.any(String), sessionId: "S-GONE-999" }]);
    expect(recipients(effects)).toEqual([d]);
    expect(closes(effects)).toEqual([]);
    expect(presenceOf(hub.state()).online).toBe(true);
  });

  it("does not route to a viewer that has not said hello", () => {
    const hub = new FakeHub();
    const d = hub.connectDevice().id;
    hub.fromDevice(d, HELLO);
    hub.connectViewer("S-EARLY-01");

    const effects = hub.fromDevice(d, { type: "offer", sessionId: "S-EARLY-01", sdp: SDP });

    expect(recipients(effects)).toEqual([d]);
    expect(sentTo(effects, d)[0]).toMatchObject({ type: "error", code: "session_ended" });
  });

  it("ends a viewer's session when the device says bye for it, leaving the other viewer alone", () => {
    const { hub, d, v1, v2 } = hubWithTwoViewers();

    const effects = hub.fromDevice(d, { type: "bye", sessionId: "S-ONE-111", reason: "peer connection failed" });

    expect(sentTo(effects, v1)).toEqual([{ type: "session-end", reason: "peer connection failed" }]);
    expect(closes(effects)).toEqual([{ to: v1, code: 1000, reason: "session_ended" }]);
    expect(sentTo(effects, v2)).toEqual([]);
    expect(presenceOf(hub.state())).toEqual({ online: true, viewers: 1 });
  });

  it("ignores a device bye for a session that is already over", () => {
    const { hub, d } = hubWithTwoViewers();
    expect(hub.fromDevice(d, { type: "bye", sessionId: "S-GONE-999" })).toEqual([]);
  });
});

describe("bad device frames", () => {
  it("closes the device with 1008 on a malformed frame and tells its viewers it is offline", () => {
    const { hub, d, v1, v2 } = hubWithTwoViewers();

    const effects = hub.fromDevice(d, "{not json");

    expect(closes(effects)).toEqual([
      { to: d, code: 1008, reason: "malformed_message: not JSON" },
      { to: v1, code: 4409, reason: "device_offline" },
      { to: v2, code: 4409, reason: "device_offline" },
    ]);
    expect(presenceOf(hub.state()).online).toBe(false);
  });

  it("closes the device with 1009 on an oversized frame", () => {
    const hub = new FakeHub();
    const d = hub.connectDevice().id;
    hub.fromDevice(d, HELLO);

    const big = JSON.stringify({ type: "offer", sessionId: "S-ONE-111", sdp: "a".repeat(MAX_SIGNALING_FRAME_BYTES) });
    const effects = hub.fromDevice(d, big);

    expect(closes(effects)).toEqual([{ to: d, code: 1009, reason: expect.stringMatching(/^message_too_large/) }]);
  });

  it("closes the device with 1008 on a binary frame", () => {
    const hub = new FakeHub();
    const d = hub.connectDevice().id;
    const effects = hub.fromDevice(d, new TextEncoder().encode(JSON.stringify(HELLO)).buffer as ArrayBuffer);
    expect(closes(effects)).toEqual([{ to: d, code: 1008, reason: expect.stringMatching(/^malformed_message: binary/) }]);
  });

  it("closes the device with 1008 on a frame of an unknown type", () => {
    const hub = new FakeHub();
    const d = hub.connectDevice().id;
    hub.fromDevice(d, HELLO);
    const effects = hub.fromDevice(d, { type: "reboot" });
    expect(closes(effects)).toEqual([{ to: d, code: 1008, reason: expect.stringMatching(/^malformed_message/) }]);
  });
});

describe("device disconnect", () => {
  it("keeps the viewers while the device's socket is away, shows it offline and records last seen", () => {
    const { hub, d } = hubWithTwoViewers();

    const effects = hub.deviceClosed(d, 1006);

    expect(closes(effects)).toEqual([]);
    expect(recipients(effects)).toEqual([]);
    expect(recordsLastSeen(effects)).toBe(true);
    expect(presenceOf(hub.state())).toEqual({ online: false, viewers: 2 });
  });

  it("cuts every viewer with device_offline when the device does not come back in time", () => {
    const { hub, d, v1, v2 } = hubWithTwoViewers();
    hub.deviceClosed(d, 1006);
    hub.advance(DEVICE_AWAY_MS);

    const effects = hub.heartbeat({ [v1]: Date.now(), [v2]: Date.now() });

    expect(closes(effects)).toEqual([
      { to: v1, code: 4409, reason: "device_offline" },
      { to: v2, code: 4409, reason: "device_offline" },
    ]);
    expect(hub.deviceAwayUntil).toBeNull();
    expect(presenceOf(hub.state())).toEqual({ online: false, viewers: 0 });
  });

  it("cuts every viewer at once when the edge cut the device (revoked), without waiting", () => {
    const { hub, d, v1, v2 } = hubWithTwoViewers();

    const effects = hub.run({ type: "device-closed", conn: hub.conn(d), code: 4403, reason: "device_revoked", final: true });

    expect(closes(effects)).toEqual([
      { to: v1, code: 4409, reason: "device_offline" },
      { to: v2, code: 4409, reason: "device_offline" },
    ]);
  });

  it("does not record last seen for a device that never said hello", () => {
    const hub = new FakeHub();
    const d = hub.connectDevice().id;
    expect(recordsLastSeen(hub.deviceClosed(d, 1006))).toBe(false);
  });
});

describe("device status", () => {
  it("turns a device's NAT report into one D1 write and a log line, and sends nothing back", () => {
    const hub = new FakeHub("CAM-NAT-1");
    const { id } = hub.connectDevice();
    hub.fromDevice(id, HELLO);
    const nat = { natType: "symmetric", mapping: "address-and-port-dependent", filtering: "address-and-port-dependent", hairpinning: false, udpBlocked: false, rfc5780: true, at: 1 };

    const effects = hub.fromDevice(id, { type: "status", nat });

    expect(effects.filter((e) => e.type === "device-nat")).toEqual([{ type: "device-nat", nat }]);
    expect(effects.filter((e) => e.type === "log").map((e) => (e.type === "log" ? e.event.event : ""))).toEqual(["device_nat"]);
    expect(sentTo(effects, id)).toEqual([]);
    expect(closes(effects)).toEqual([]);
  });
});


describe("a camera over its frame budget", () => {
  it("is closed 1008 too_many_messages, recorded as a protocol error, and its viewers are told the camera is offline", () => {
    const hub = new FakeHub("CAM-FLOOD-1");
    const d = hub.connectDevice().id;
    hub.fromDevice(d, HELLO);
    const v = hub.connectViewer("S-FLOOD-01").id;
    hub.fromViewer(v, { type: "hello", v: PROTOCOL_VERSION });
    const effects = hub.run({ type: "over-budget", conn: hub.conn(d), detail: "more than 600 messages at once" });
    expect(closes(effects)).toEqual(expect.arrayContaining([{ to: d, code: 1008, reason: expect.stringMatching(/^too_many_messages/) }, { to: v, code: 4409, reason: "device_offline" }]));
    expect(FakeHub.ends(effects)).toEqual([expect.objectContaining({ reason: "protocol-error", closeCode: 1008 })]);
  });
});

describe("a camera's event", () => {
  it("is logged and asks the shell to notify and to index it with its id, kind and time only, sending nothing to any socket", () => {
    const hub = new FakeHub("CAM-EVENT-1");
    const d = hub.connectDevice().id;
    hub.fromDevice(d, HELLO);
    const effects = hub.fromDevice(d, { type: "event", event: { id: "ev-1", kind: "motion", startedAt: "2026-12-07T19:00:00.000Z" } });
    expect(recipients(effects)).toEqual([]);
    expect(effects).toEqual([
      { type: "log", event: { event: "camera_event", serial: "CAM-EVENT-1", eventId: "ev-1", kind: "motion", startedAt: "2026-12-07T19:00:00.000Z" } },
      { type: "notify", cameraEvent: { id: "ev-1", kind: "motion", startedAt: "2026-12-07T19:00:00.000Z" } },
      { type: "record-event", cameraEvent: { id: "ev-1", kind: "motion", startedAt: "2026-12-07T19:00:00.000Z" } },
    ]);
  });

  it("of an unknown kind is refused 1008, as any frame off the protocol", () => {
    const hub = new FakeHub("CAM-EVENT-2");
    const d = hub.connectDevice().id;
    hub.fromDevice(d, HELLO);
    const effects = hub.fromDevice(d, { type: "event", event: { id: "ev-2", kind: "doorbell", startedAt: "2026-12-07T19:00:00.000Z" } });
    expect(closes(effects)).toEqual([expect.objectContaining({ to: d, code: 1008 })]);
  });
});
