// Which device socket is in charge and what presence the hub reports, from the sockets alone.
import { describe, expect, it } from "vitest";
import { currentDevice, presenceOf } from "./conns.ts";
import type { Conn } from "./types.ts";

const device = (id: string, connectedAt: number, phase: Conn["phase"] = "ready"): Conn => ({
  role: "device",
  id,
  serial: "CAM-CONN-1",
  phase,
  connectedAt,
});
const viewer = (id: string, phase: Conn["phase"]): Conn => ({
  role: "viewer",
  id,
  serial: "CAM-CONN-1",
  phase,
  connectedAt: 1,
  sessionId: `S-${id}-0000`,
  userId: null,
  sessionRole: "code",
  grant: "g",
});
const state = (conns: Conn[]) => ({ serial: "CAM-CONN-1", conns, iceServers: [], heartbeatSeconds: 30, now: 0 });

describe("hub connections", () => {
  it("treats the newest live device socket as the one in charge", () => {
    expect(currentDevice(state([device("a", 1), device("b", 3), device("c", 2)]))?.id).toBe("b");
  });

  it("skips device sockets that are closing", () => {
    expect(currentDevice(state([device("a", 1), device("b", 3, "closing")]))?.id).toBe("a");
  });

  it("is offline while the newest device has not said hello, even if an older one had", () => {
    expect(presenceOf(state([device("a", 1, "ready"), device("b", 2, "awaiting-hello")])).online).toBe(false);
  });

  it("counts only viewers whose session is under way", () => {
    const p = presenceOf(state([device("d", 1), viewer("v1", "ready"), viewer("v2", "awaiting-hello"), viewer("v3", "closing")]));
    expect(p).toEqual({ online: true, viewers: 1 });
  });
});
