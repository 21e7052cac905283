// The viewer limit: a camera admits at most its max_viewers sockets, counted at connect time.
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_VIEWERS, PROTOCOL_VERSION } from "../../../protocol/index.ts";
import { closes, FakeHub, sentTo } from "../../test/support/fake-hub.ts";
import { clampMaxViewers } from "./viewer-limit.ts";

const DEVICE_HELLO = { type: "hello", v: PROTOCOL_VERSION, agent: { version: "1", source: "unit", videoCodecs: ["VP8"], audio: false } };
const HELLO = { type: "hello", v: PROTOCOL_VERSION };

function onlineHub() {
  const hub = new FakeHub("CAM-LIMIT-1");
  const d = hub.connectDevice().id;
  hub.fromDevice(d, DEVICE_HELLO);
  return { hub, d };
}

describe("viewer limit", () => {
  it("refuses a fourth viewer while three are watching, with device_busy (4503) and the counts", () => {
    const { hub } = onlineHub();
    for (const sid of ["S-ONE-0001", "S-TWO-0002", "S-THR-0003"]) hub.fromViewer(hub.connectViewer(sid, undefined, { maxViewers: 3 }).id, HELLO);
    const { id, effects } = hub.connectViewer("S-FOU-0004", undefined, { maxViewers: 3 });
    expect(sentTo(effects, id)).toEqual([
      { type: "error", code: "device_busy", message: "3 of 3 viewers are watching.", watching: 3, limit: 3 },
    ]);
    expect(closes(effects)).toEqual([{ to: id, code: 4503, reason: "device_busy: 3 of 3 viewers" }]);
  });

  it("counts viewers that connected but have not said hello yet, so a burst cannot overshoot", () => {
    const { hub } = onlineHub();
    const admitted: string[] = [];
    const refused: string[] = [];
    for (let i = 0; i < 50; i++) {
      const { id, effects } = hub.connectViewer(`S-BURST-${String(i).padStart(4, "0")}`, undefined, { maxViewers: 3 });
      (closes(effects).length ? refused : admitted).push(id);
    }
    expect(admitted).toHaveLength(3);
    expect(refused).toHaveLength(47);
  });

  it("frees the slot when a viewer leaves, and the next one is admitted", () => {
    const { hub } = onlineHub();
    const v1 = hub.connectViewer("S-ONE-0001", undefined, { maxViewers: 1 }).id;
    hub.fromViewer(v1, HELLO);
    expect(closes(hub.connectViewer("S-TWO-0002", undefined, { maxViewers: 1 }).effects)).toHaveLength(1);
    hub.fromViewer(v1, { type: "bye" });
    expect(closes(hub.connectViewer("S-THR-0003", undefined, { maxViewers: 1 }).effects)).toEqual([]);
  });

  it("does not count refused viewers against the limit", () => {
    const { hub } = onlineHub();
    hub.connectViewer("S-ONE-0001", undefined, { maxViewers: 2 });
    hub.connectViewer("S-TWO-0002", undefined, { maxViewers: 2 });
    hub.connectViewer("S-THR-0003", undefined, { maxViewers: 2 });
    const { effects } = hub.connectViewer("S-FOU-0004", undefined, { maxViewers: 2 });
    expect(sentTo(effects, hub.conns.at(-1)!.id)[0]).toMatchObject({ watching: 2, limit: 2 });
  });

  it("lets a signed-in viewer take the slot of their own session that waits in grace, and tells the camera to end that one", () => {
    const { hub, d } = onlineHub();
    const old = hub.connectViewer("S-PHONE-001", undefined, { maxViewers: 2, userId: "user-ann" }).id;
    hub.fromViewer(old, HELLO);
    hub.fromViewer(hub.connectViewer("S-BOB-0001", undefined, { maxViewers: 2, userId: "user-bob" }).id, HELLO);
    hub.viewerClosed(old, 1006); // Ann's phone lost its network: her session waits for a resume
    const again = hub.connectViewer("S-PHONE-002", undefined, { maxViewers: 2, userId: "user-ann" });
    expect(closes(again.effects)).toEqual([]);
    expect(sentTo(again.effects, d)).toEqual([{ type: "session-end", sessionId: "S-PHONE-001", reason: "replaced by a new session from the same account" }]);
    expect(hub.grace).toEqual([]);
  });

  it("still refuses when the session in grace is someone else's, or the newcomer has only an access code", () => {
    const { hub } = onlineHub();
    const ann = hub.connectViewer("S-ANN-0001", undefined, { maxViewers: 1, userId: "user-ann" }).id;
    hub.fromViewer(ann, HELLO);
    hub.viewerClosed(ann, 1006);
    const bob = hub.connectViewer("S-BOB-0001", undefined, { maxViewers: 1, userId: "user-bob" });
    expect(sentTo(bob.effects, bob.id)).toEqual([expect.objectContaining({ code: "device_busy", watching: 1, limit: 1 })]);
    const code = hub.connectViewer("S-CODE-001", undefined, { maxViewers: 1, userId: null, sessionRole: "code" });
    expect(sentTo(code.effects, code.id)).toEqual([expect.objectContaining({ code: "device_busy" })]);
    expect(hub.grace.map((g) => g.conn.sessionId)).toEqual(["S-ANN-0001"]);
  });

  it("clamps a stored limit to 1–10 and falls back to the default for junk", () => {
    expect(clampMaxViewers(0)).toBe(1);
    expect(clampMaxViewers(99)).toBe(10);
    expect(clampMaxViewers("4")).toBe(4);
    expect(clampMaxViewers("x")).toBe(DEFAULT_MAX_VIEWERS);
    expect(clampMaxViewers(2.5)).toBe(DEFAULT_MAX_VIEWERS);
  });
});
