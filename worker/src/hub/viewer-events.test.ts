// The viewer side of the hub logic: one socket is one session, and a bad viewer never disturbs another.
import { describe, expect, it } from "vitest";
import { MAX_SIGNALING_FRAME_BYTES, PROTOCOL_VERSION } from "../../../protocol/index.ts";
import { closes, FakeHub, recipients, sentTo, TEST_ICE } from "../../test/support/fake-hub.ts";
import { presenceOf } from "./conns.ts";
import { VIEWER_GRACE_MS } from "./grace.ts";

const DEVICE_HELLO = {
  type: "hello",
  v: PROTOCOL_VERSION,
  agent: { version: "1.0.0", source: "unit", videoCodecs: ["VP8"], audio: false },
};
const HELLO = { type: "hello", v: PROTOCOL_VERSION, client: "unit" };
const SDP = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\n";
const CANDIDATE = { candidate: "candidate:2 1 udp 2122260223 127.0.0.1 50001 typ host", sdpMid: "0", sdpMLineIndex: 0 };

function onlineHub() {
  const hub = new FakeHub("CAM-VIEW-1");
  const d = hub.connectDevice().id;
  hub.fromDevice(d, DEVICE_HELLO);
  return { hub, d };
}

function hubWithTwoViewers() {
  const { hub, d } = onlineHub();
  const v1 = hub.connectViewer("S-ONE-111").id;
  hub.fromViewer(v1, HELLO);
  const v2 = hub.connectViewer("S-TWO-222").id;
  hub.fromViewer(v2, HELLO);
  return { hub, d, v1, v2 };
}

const logged = (effects: readonly { type: string; event?: { event: string } }[]) => effects.flatMap((e) => (e.type === "log" && e.event ? [e.event.event] : []));

describe("viewer connect and hello", () => {
  it("logs one line for a /ws/watch viewer, whose upgrade is its hello (session_started), and two for a ticket's socket and its hello", () => {
    const { hub } = onlineHub();
    const watch = hub.connectViewer("S-WATCH-1", undefined, { helloFollows: true });
    expect(logged(watch.effects)).toEqual([]);
    expect(logged(hub.fromViewer(watch.id, HELLO))).toEqual(["session_started"]);
    const ticket = hub.connectViewer("S-TICKET-1");
    expect(logged(ticket.effects)).toEqual(["viewer_connected"]);
    expect(logged(hub.fromViewer(ticket.id, HELLO))).toEqual(["session_started"]);
  });

  it("refuses a viewer with device_offline (4409) when the camera is not connected", () => {
    const hub = new FakeHub();
    const { id, effects } = hub.connectViewer("S-ONE-111");
    expect(sentTo(effects, id)).toEqual([expect.objectContaining({ type: "error", code: "device_offline" })]);
    expect(closes(effects)).toEqual([{ to: id, code: 4409, reason: "device_offline" }]);
  });

  it("refuses a viewer while the camera is connected but has not said hello", () => {
    const hub = new FakeHub();
    hub.connectDevice();
    const { id, effects } = hub.connectViewer("S-ONE-111");
    expect(closes(effects)).toEqual([{ to: id, code: 4409, reason: "device_offline" }]);
  });

  it("tells the device nothing until the viewer says hello", () => {
    const { hub } = onlineHub();
    const { effects } = hub.connectViewer("S-ONE-111");
    expect(recipients(effects)).toEqual([]);
    expect(closes(effects)).toEqual([]);
  });

  it("welcomes a viewer's hello and asks the device to start that session", () => {
    const { hub, d } = onlineHub();
    const v = hub.connectViewer("S-ONE-111").id;

    const effects = hub.fromViewer(v, HELLO);

    expect(sentTo(effects, v)).toEqual([
      { type: "welcome", v: PROTOCOL_VERSION, sessionId: "S-ONE-111", serial: "CAM-VIEW-1", iceServers: TEST_ICE, resumeToken: `resume-${v}` },
    ]);
    expect(sentTo(effects, d)).toEqual([{ type: "session-start", sessionId: "S-ONE-111", iceServers: TEST_ICE, grant: "grant-for-S-ONE-111" }]);
    expect(presenceOf(hub.state()).viewers).toBe(1);
  });

  it("refuses a viewer that speaks an unsupported version with 4001 and starts no session", () => {
    const { hub, d } = onlineHub();
    const v = hub.connectViewer("S-ONE-111").id;

    const effects = hub.fromViewer(v, { ...HELLO, v: 2 });

    expect(closes(effects)).toEqual([{ to: v, code: 4001, reason: expect.stringMatching(/^unsupported_version/) }]);
    expect(sentTo(effects, d)).toEqual([]);
  });

  it("closes a viewer whose first frame is not hello with 1008", () => {
    const { hub, d } = onlineHub();
    const v = hub.connectViewer("S-ONE-111").id;

    const effects = hub.fromViewer(v, { type: "answer", sdp: SDP });

    expect(closes(effects)).toEqual([{ to: v, code: 1008, reason: expect.stringMatching(/^malformed_message: expected hello/) }]);
    expect(sentTo(effects, d)).toEqual([]);
  });
});

describe("viewer signaling", () => {
  it("relays a viewer's answer to the device with the session id added", () => {
    const { hub, d, v2 } = hubWithTwoViewers();
    const effects = hub.fromViewer(v2, { type: "answer", sdp: SDP });
    expect(recipients(effects)).toEqual([d]);
    expect(sentTo(effects, d)).toEqual([{ type: "answer", sessionId: "S-TWO-222", sdp: SDP }]);
  });

  it("relays a viewer's ICE restart request to the device as restart for that session only", () => {
    const { hub, d, v1 } = hubWithTwoViewers();
    const effects = hub.fromViewer(v1, { type: "restart" });
    expect(recipients(effects)).toEqual([d]);
    expect(sentTo(effects, d)).toEqual([{ type: "restart", sessionId: "S-ONE-111" }]);
    expect(closes(effects)).toEqual([]);
  });

  it("relays a viewer's candidate to the device with the session id added", () => {
    const { hub, d, v1 } = hubWithTwoViewers();
    const effects = hub.fromViewer(v1, { type: "candidate", candidate: CANDIDATE });
    expect(sentTo(effects, d)).toEqual([{ type: "candidate", sessionId: "S-ONE-111", candidate: CANDIDATE }]);
  });

  it("cannot pick another session id: a sessionId field in the viewer's frame is ignored", () => {
    const { hub, d, v1 } = hubWithTwoViewers();
    const effects = hub.fromViewer(v1, { type: "answer", sdp: SDP, sessionId: "S-TWO-222" });
    expect(sentTo(effects, d)).toEqual([{ type: "answer", sessionId: "S-ONE-111", sdp: SDP }]);
  });

  it("ends the session on the device and closes the viewer with 1000 when the viewer says bye", () => {
    const { hub, d, v1 } = hubWithTwoViewers();

    const effects = hub.fromViewer(v1, { type: "bye", reason: "closed the tab" });

    expect(sentTo(effects, d)).toEqual([{ type: "session-end", sessionId: "S-ONE-111", reason: "closed the tab" }]);
    expect(closes(effects)).toEqual([{ to: v1, code: 1000, reason: "session_ended" }]);
    expect(presenceOf(hub.state()).viewers).toBe(1);
  });

  it("keeps the session on the device when the viewer's socket goes away (grace), and ends it when the viewer does not come back", () => {
    const { hub, d, v1 } = hubWithTwoViewers();
    expect(sentTo(hub.viewerClosed(v1, 1001), d)).toEqual([]);
    hub.advance(VIEWER_GRACE_MS);
    expect(sentTo(hub.heartbeat(), d)).toEqual([{ type: "session-end", sessionId: "S-ONE-111", reason: expect.stringContaining("did not come back") }]);
  });

  it("tells the device nothing when a viewer that never said hello goes away", () => {
    const { hub } = onlineHub();
    const v = hub.connectViewer("S-ONE-111").id;
    expect(recipients(hub.viewerClosed(v, 1001))).toEqual([]);
  });

  it("does not end the session twice when the viewer's close follows its bye", () => {
    const { hub, v1 } = hubWithTwoViewers();
    hub.fromViewer(v1, { type: "bye" });
    expect(hub.viewerClosed(v1, 1000)).toEqual([]);
  });

  it("cuts a viewer with device_offline if it speaks after the camera went away", () => {
    const { hub, d, v1 } = hubWithTwoViewers();
    // The device socket vanished but the viewer's close has not been processed yet.
    hub.conns = hub.conns.filter((c) => c.id !== d);
    const effects = hub.fromViewer(v1, { type: "answer", sdp: SDP });
    expect(closes(effects)).toEqual([{ to: v1, code: 4409, reason: "device_offline" }]);
  });
});

describe("bad viewer frames", () => {
  it("closes only the offending viewer with 1008 on a malformed frame; the device and the other viewer carry on", () => {
    const { hub, d, v1, v2 } = hubWithTwoViewers();

    const effects = hub.fromViewer(v1, "][");

    expect(closes(effects)).toEqual([{ to: v1, code: 1008, reason: "malformed_message: not JSON" }]);
    expect(sentTo(effects, d)).toEqual([{ type: "session-end", sessionId: "S-ONE-111", reason: "malformed_message" }]);
    expect(sentTo(effects, v2)).toEqual([]);
    // The other session still relays.
    expect(sentTo(hub.fromViewer(v2, { type: "answer", sdp: SDP }), d)).toEqual([{ type: "answer", sessionId: "S-TWO-222", sdp: SDP }]);
    expect(presenceOf(hub.state())).toEqual({ online: true, viewers: 1 });
  });

  it("closes only the offending viewer with 1009 on an oversized frame", () => {
    const { hub, d, v1, v2 } = hubWithTwoViewers();

    const effects = hub.fromViewer(v1, JSON.stringify({ type: "answer", sdp: "x".repeat(MAX_SIGNALING_FRAME_BYTES + 1) }));

    expect(closes(effects)).toEqual([{ to: v1, code: 1009, reason: expect.stringMatching(/^message_too_large/) }]);
    expect(recipients(effects)).toEqual([d]);
    expect(sentTo(hub.fromDevice(d, { type: "offer", sessionId: "S-TWO-222", sdp: SDP }), v2)).toEqual([{ type: "offer", sdp: SDP }]);
  });

  it("closes a viewer with 1008 when a well-formed frame breaks the schema", () => {
    const { hub, v1 } = hubWithTwoViewers();
    const effects = hub.fromViewer(v1, { type: "answer", sdp: 42 });
    expect(closes(effects)).toEqual([{ to: v1, code: 1008, reason: expect.stringMatching(/^malformed_message: sdp/) }]);
  });

  it("closes a viewer that says hello twice with 1008", () => {
    const { hub, d, v1 } = hubWithTwoViewers();
    const effects = hub.fromViewer(v1, HELLO);
    expect(closes(effects)).toEqual([{ to: v1, code: 1008, reason: "malformed_message: duplicate hello" }]);
    expect(sentTo(effects, d)).toEqual([expect.objectContaining({ type: "session-end", sessionId: "S-ONE-111" })]);
  });

  it("ignores frames from a viewer the hub is already closing", () => {
    const { hub, v1 } = hubWithTwoViewers();
    hub.fromViewer(v1, "garbage");
    expect(hub.fromViewer(v1, { type: "answer", sdp: SDP })).toEqual([]);
  });
});

describe("a viewer over its frame budget", () => {
  it("ends its session on the camera and closes it 1008 too_many_messages, without grace and without touching the other viewer", () => {
    const { hub, d, v1, v2 } = hubWithTwoViewers();
    const sessionId = "S-ONE-111";
    const effects = hub.run({ type: "over-budget", conn: hub.conn(v1), detail: "more than 100 messages at once" });
    expect(sentTo(effects, d)).toEqual([expect.objectContaining({ type: "session-end", sessionId, reason: "too_many_messages" })]);
    expect(sentTo(effects, v1)).toEqual([expect.objectContaining({ type: "error", code: "too_many_messages" })]);
    expect(closes(effects)).toEqual([{ to: v1, code: 1008, reason: expect.stringMatching(/^too_many_messages/) }]);
    expect(recipients(effects)).not.toContain(v2);
    expect(hub.grace).toEqual([]);
    // Its socket's close event that follows changes nothing more.
    expect(hub.viewerClosed(v1, 1008)).toEqual([]);
    expect(presenceOf(hub.state()).viewers).toBe(1);
  });
});
