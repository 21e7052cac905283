// Signaling resume: a session outlives its viewer socket for a grace period, and a new socket
// continues it with the token from welcome — once, for that session only, while it waits.
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../../protocol/index.ts";
import { closes, FakeHub, recipients, sentTo, TEST_ICE } from "../../test/support/fake-hub.ts";
import { presenceOf } from "./conns.ts";
import { DEVICE_AWAY_MS } from "./device-events.ts";
import { VIEWER_GRACE_MS } from "./grace.ts";
import { newResumeToken, tokensEqual } from "./resume-token.ts";

const DEVICE_HELLO = { type: "hello", v: PROTOCOL_VERSION, agent: { version: "1", source: "unit", videoCodecs: ["VP8"], audio: false } };
const HELLO = { type: "hello", v: PROTOCOL_VERSION };

/** Device `d` online, viewer `v` in session S-GRACE-01 (its welcome token is `resume-<v>`). */
function hubWithSession(maxViewers = 10) {
  const hub = new FakeHub("CAM-GRACE-1");
  const d = hub.connectDevice().id;
  hub.fromDevice(d, DEVICE_HELLO);
  const v = hub.connectViewer("S-GRACE-01", undefined, { maxViewers }).id;
  hub.fromViewer(v, HELLO);
  return { hub, d, v, token: `resume-${v}` };
}

describe("grace after a viewer's socket drops", () => {
  it("keeps the session: the device is not told, and the slot still counts as watching", () => {
    const { hub, d, v } = hubWithSession();
    const effects = hub.viewerClosed(v, 1006);
    expect(recipients(effects)).toEqual([]);
    expect(presenceOf(hub.state()).viewers).toBe(1);
    expect(hub.grace.map((g) => g.conn.sessionId)).toEqual(["S-GRACE-01"]);
    expect(sentTo(hub.heartbeat(), d)).toEqual([]);
  });

  it("refuses a new viewer with device_busy while the only slot is held by a session in grace", () => {
    const { hub, v } = hubWithSession(1);
    hub.viewerClosed(v, 1006);
    const other = hub.connectViewer("S-OTHER-01", undefined, { maxViewers: 1 });
    expect(sentTo(other.effects, other.id)).toEqual([expect.objectContaining({ type: "error", code: "device_busy", watching: 1, limit: 1 })]);
  });

  it("frees the slot once the grace ran out", () => {
    const { hub, v } = hubWithSession(1);
    hub.viewerClosed(v, 1006);
    hub.advance(VIEWER_GRACE_MS);
    hub.heartbeat();
    const other = hub.connectViewer("S-OTHER-01", undefined, { maxViewers: 1 });
    expect(closes(other.effects)).toEqual([]);
  });

  it("ends a session in grace when the user's access is revoked, so it cannot be resumed", () => {
    const { hub, d, v, token } = hubWithSession();
    hub.viewerClosed(v, 1006);
    const effects = hub.endSessions("access_revoked", `user-${v}`);
    expect(sentTo(effects, d)).toEqual([{ type: "session-end", sessionId: "S-GRACE-01", reason: "access_revoked" }]);
    const r = hub.resumeViewer("S-GRACE-01", token);
    expect(closes(r.effects)).toEqual([{ to: r.id, code: 4010, reason: expect.stringMatching(/^session_ended/) }]);
  });

  it("drops the device's candidates for a session in grace instead of answering session_ended", () => {
    const { hub, d, v } = hubWithSession();
    hub.viewerClosed(v, 1006);
    const effects = hub.fromDevice(d, { type: "candidate", sessionId: "S-GRACE-01", candidate: { candidate: "" } });
    expect(effects).toEqual([]);
  });
});

describe("resume", () => {
  it("continues the same session on a new socket: welcome with resumed and a fresh token, no new session-start", () => {
    const { hub, d, v, token } = hubWithSession();
    hub.viewerClosed(v, 1006);
    hub.advance(VIEWER_GRACE_MS - 1);

    const r = hub.resumeViewer("S-GRACE-01", token);
    expect(closes(r.effects)).toEqual([]);
    const welcome = hub.fromViewer(r.id, HELLO);

    expect(sentTo(welcome, r.id)).toEqual([
      {
        type: "welcome",
        v: PROTOCOL_VERSION,
        sessionId: "S-GRACE-01",
        serial: "CAM-GRACE-1",
        iceServers: TEST_ICE,
        resumeToken: `resume-${r.id}`,
        resumed: true,
      },
    ]);
    expect(sentTo(welcome, d)).toEqual([]);
    expect(hub.grace).toEqual([]);
    expect(presenceOf(hub.state()).viewers).toBe(1);
  });

  it("relays an ICE restart from the resumed socket to the device for the same session", () => {
    const { hub, d, v, token } = hubWithSession();
    hub.viewerClosed(v, 1006);
    const r = hub.resumeViewer("S-GRACE-01", token);
    hub.fromViewer(r.id, HELLO);
    expect(sentTo(hub.fromViewer(r.id, { type: "restart" }), d)).toEqual([{ type: "restart", sessionId: "S-GRACE-01" }]);
    // And the device's new offer reaches the new socket.
    expect(sentTo(hub.fromDevice(d, { type: "offer", sessionId: "S-GRACE-01", sdp: "v=0\r\n" }), r.id)).toEqual([{ type: "offer", sdp: "v=0\r\n" }]);
  });

  it("admits a resume even when the camera is full: the session already holds its slot", () => {
    const { hub, v, token } = hubWithSession(1);
    hub.viewerClosed(v, 1006);
    const r = hub.resumeViewer("S-GRACE-01", token);
    expect(closes(r.effects)).toEqual([]);
  });

  it("replaces a socket the hub still holds (half-open) with the resuming one, without ending the session", () => {
    const { hub, d, v, token } = hubWithSession();
    const r = hub.resumeViewer("S-GRACE-01", token);
    expect(closes(r.effects)).toEqual([{ to: v, code: 4010, reason: expect.stringMatching(/^session_ended/) }]);
    expect(recipients(r.effects)).toEqual([]);
    expect(sentTo(hub.fromViewer(r.id, HELLO), d)).toEqual([]);
    expect(presenceOf(hub.state()).viewers).toBe(1);
  });

  it("refuses a token for another session with session_ended (4010)", () => {
    const { hub, v } = hubWithSession();
    const w = hub.connectViewer("S-GRACE-02").id;
    hub.fromViewer(w, HELLO);
    hub.viewerClosed(v, 1006);
    const r = hub.resumeViewer("S-GRACE-01", `resume-${w}`);
    expect(sentTo(r.effects, r.id)).toEqual([expect.objectContaining({ type: "error", code: "session_ended" })]);
    expect(closes(r.effects)).toEqual([{ to: r.id, code: 4010, reason: expect.stringMatching(/^session_ended/) }]);
    // The session itself is untouched and still resumable with its own token.
    expect(closes(hub.resumeViewer("S-GRACE-01", `resume-${v}`).effects)).toEqual([]);
  });

  it("refuses a token that was already used for a resume", () => {
    const { hub, v, token } = hubWithSession();
    hub.viewerClosed(v, 1006);
    const first = hub.resumeViewer("S-GRACE-01", token);
    hub.fromViewer(first.id, HELLO);
    hub.viewerClosed(first.id, 1006);
    const again = hub.resumeViewer("S-GRACE-01", token);
    expect(closes(again.effects)).toEqual([{ to: again.id, code: 4010, reason: expect.stringMatching(/^session_ended/) }]);
    // The token from the resumed socket's welcome is the current one.
    expect(closes(hub.resumeViewer("S-GRACE-01", `resume-${first.id}`).effects)).toEqual([]);
  });

  it("refuses a resume after the grace ran out and the session ended", () => {
    const { hub, v, token } = hubWithSession();
    hub.viewerClosed(v, 1006);
    hub.advance(VIEWER_GRACE_MS);
    hub.heartbeat();
    const r = hub.resumeViewer("S-GRACE-01", token);
    expect(closes(r.effects)).toEqual([{ to: r.id, code: 4010, reason: expect.stringMatching(/^session_ended/) }]);
  });

  it("does not end the session it names when a resume is refused", () => {
    const { hub, d, v } = hubWithSession();
    hub.viewerClosed(v, 1006);
    const r = hub.resumeViewer("S-GRACE-01", "resume-wrong");
    expect(recipients(r.effects)).toEqual([r.id]);
    expect(r.effects.filter((e) => e.type === "session-record")).toEqual([]);
    expect(sentTo(r.effects, d)).toEqual([]);
    expect(hub.grace).toHaveLength(1);
  });
});

describe("the camera's socket comes back", () => {
  it("keeps the sessions its hello lists, ends the hub's others, and ends the ones the hub no longer knows on the device", () => {
    const { hub, d, v, token } = hubWithSession();
    const w = hub.connectViewer("S-GRACE-02").id;
    hub.fromViewer(w, HELLO);
    hub.viewerClosed(v, 1006); // S-GRACE-01 waits in grace
    hub.deviceClosed(d, 1006);

    const d2 = hub.connectDevice().id;
    const effects = hub.fromDevice(d2, { ...DEVICE_HELLO, sessions: ["S-GRACE-01", "S-GONE-999"] });

    // S-GRACE-02 is not on the device any more: its viewer hears session-end.
    expect(sentTo(effects, w)).toEqual([{ type: "session-end", reason: expect.any(String) }]);
    expect(closes(effects)).toEqual([{ to: w, code: 1000, reason: "session_ended" }]);
    expect(sentTo(effects, d2)).toEqual([
      expect.objectContaining({ type: "welcome" }),
      { type: "session-end", sessionId: "S-GONE-999", reason: expect.stringMatching(/^session_ended/) },
    ]);
    expect(hub.deviceAwayUntil).toBeNull();
    // S-GRACE-01 is still there to resume, and a restart now reaches the new device socket.
    const r = hub.resumeViewer("S-GRACE-01", token);
    hub.fromViewer(r.id, HELLO);
    expect(sentTo(hub.fromViewer(r.id, { type: "restart" }), d2)).toEqual([{ type: "restart", sessionId: "S-GRACE-01" }]);
  });

  it("keeps viewers watching across a device socket replaced before its close was seen", () => {
    const { hub, d, v } = hubWithSession();
    const d2 = hub.connectDevice().id;
    const effects = hub.fromDevice(d2, { ...DEVICE_HELLO, sessions: ["S-GRACE-01"] });
    expect(recipients(effects)).toEqual([d2]);
    expect(hub.deviceClosed(d, 1006)).toEqual([]);
    expect(sentTo(hub.fromViewer(v, { type: "restart" }), d2)).toEqual([{ type: "restart", sessionId: "S-GRACE-01" }]);
  });

  it("drops a viewer's restart while the camera is away instead of cutting the viewer", () => {
    const { hub, d, v } = hubWithSession();
    hub.deviceClosed(d, 1006);
    const effects = hub.fromViewer(v, { type: "restart" });
    expect(effects).toEqual([]);
    expect(presenceOf(hub.state()).viewers).toBe(1);
  });

  it("lets a viewer resume while the camera is away, and refuses a new session then", () => {
    const { hub, d, v, token } = hubWithSession();
    hub.viewerClosed(v, 1006);
    hub.deviceClosed(d, 1006);
    const r = hub.resumeViewer("S-GRACE-01", token);
    expect(sentTo(hub.fromViewer(r.id, HELLO), r.id)).toEqual([expect.objectContaining({ type: "welcome", resumed: true })]);
    const fresh = hub.connectViewer("S-NEW-0001");
    expect(closes(fresh.effects)).toEqual([{ to: fresh.id, code: 4409, reason: "device_offline" }]);
  });

  it("ends sessions in grace when the camera does not come back in time", () => {
    const { hub, d, v, token } = hubWithSession();
    hub.viewerClosed(v, 1006);
    hub.deviceClosed(d, 1006);
    hub.advance(DEVICE_AWAY_MS);
    const effects = hub.heartbeat();
    expect(effects).toContainEqual({ type: "grace-drop", sessionId: "S-GRACE-01" });
    expect(closes(hub.resumeViewer("S-GRACE-01", token).effects)).toEqual([
      expect.objectContaining({ code: 4409, reason: "device_offline" }),
    ]);
  });
});

describe("resume tokens", () => {
  it("are 43 random base64url characters, different each time", () => {
    const a = newResumeToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newResumeToken()).not.toBe(a);
  });

  it("compare equal only when identical, whatever the lengths", () => {
    expect(tokensEqual("abc", "abc")).toBe(true);
    expect(tokensEqual("abc", "abd")).toBe(false);
    expect(tokensEqual("abc", "abcd")).toBe(false);
    expect(tokensEqual("", "a")).toBe(false);
  });
});
