// The hub's memory moves only by the hub's own effects, and says when storage must follow.
import { describe, expect, it } from "vitest";
import { emptyMemory, graceOf, remember, rememberOne } from "./hub-memory.ts";
import type { ViewerConn } from "./types.ts";

const viewer: ViewerConn = { role: "viewer", id: "v1", serial: "CAM-MEM-1", phase: "awaiting-hello", connectedAt: 1, sessionId: "S-MEM-0001", userId: null, sessionRole: "code", grant: "g" };

describe("hub memory", () => {
  it("follows phase changes and reports a repeated one as no change (no attachment write)", () => {
    const m = emptyMemory();
    m.conns.set(viewer.id, viewer);
    expect(rememberOne(m, { type: "set-phase", to: "v1", phase: "ready" })).toBe(true);
    expect(m.conns.get("v1")?.phase).toBe("ready");
    expect(rememberOne(m, { type: "set-phase", to: "v1", phase: "ready" })).toBe(false);
    expect(rememberOne(m, { type: "set-phase", to: "nobody", phase: "closing" })).toBe(false);
  });

  it("holds a session on a socket outside grace, puts it in grace with its deadline, and forgets it once", () => {
    const m = emptyMemory();
    remember(m, [{ type: "session-put", conn: { ...viewer, phase: "ready" } }]);
    expect(graceOf(m)).toEqual([]);
    remember(m, [{ type: "grace-put", session: { conn: { ...viewer, phase: "ready" }, until: 99 } }]);
    expect(graceOf(m)).toEqual([{ conn: expect.objectContaining({ sessionId: "S-MEM-0001" }), until: 99 }]);
    expect(rememberOne(m, { type: "grace-drop", sessionId: "S-MEM-0001" })).toBe(true);
    expect(rememberOne(m, { type: "grace-drop", sessionId: "S-MEM-0001" })).toBe(false);
  });

  it("writes the camera's absence only when its deadline changes", () => {
    const m = emptyMemory();
    expect(rememberOne(m, { type: "device-away", until: null })).toBe(false);
    expect(rememberOne(m, { type: "device-away", until: 5 })).toBe(true);
    expect(m.deviceAwayUntil).toBe(5);
    expect(rememberOne(m, { type: "log", event: { event: "ticket_issued", serial: "CAM-MEM-1", sessionId: "S-MEM-0001" } })).toBe(false);
  });
});
