import { describe, expect, it } from "vitest";
import { chooseIceServers, createTurnHealth, TURN_FAILURE_MEMORY_MS, turnEndpoint } from "./turn-choice.ts";

const near = { urls: ["stun:near:3478", "turn:near:3478?transport=udp", "turn:near:3478?transport=tcp", "turns:near:443?transport=tcp"], username: "u1", credential: "c1" };
const far = { urls: ["stun:far:3478", "turn:far:3478?transport=udp", "turns:far:443?transport=tcp"], username: "u2", credential: "c2" };
const T = 1_000_000;

describe("chooseIceServers (werift uses one STUN and one TURN URL)", () => {
  it("hands werift the nearest region's STUN and first TURN URL when nothing has failed", () => {
    const c = chooseIceServers([near, far], createTurnHealth(), T);
    expect(c.servers).toEqual([{ urls: "stun:near:3478" }, { urls: "turn:near:3478?transport=udp", username: "u1", credential: "c1" }]);
    expect(c.skipped).toEqual([]);
  });

  it("passes over a failed turn: endpoint on both transports (werift already fell back to TCP) and uses TLS next", () => {
    const health = createTurnHealth();
    health.markFailed("turn:near:3478?transport=udp", T);
    const c = chooseIceServers([near, far], health, T + 1000);
    expect(c.turnUrl).toBe("turns:near:443?transport=tcp");
    expect(c.stunUrl).toBe("stun:near:3478");
    expect(c.skipped).toEqual(["turn:near:3478?transport=udp", "turn:near:3478?transport=tcp"]);
  });

  it("moves to the fallback region, with that region's STUN, when the nearest one's endpoints all failed", () => {
    const health = createTurnHealth();
    health.markFailed("turn:near:3478?transport=udp", T);
    health.markFailed("turns:near:443?transport=tcp", T + 10);
    const c = chooseIceServers([near, far], health, T + 1000);
    expect(c.servers).toEqual([{ urls: "stun:far:3478" }, { urls: "turn:far:3478?transport=udp", username: "u2", credential: "c2" }]);
  });

  it("tries a failed endpoint again once the memory has passed, or when it allocated since", () => {
    const health = createTurnHealth();
    health.markFailed("turn:near:3478?transport=udp", T);
    expect(chooseIceServers([near, far], health, T + TURN_FAILURE_MEMORY_MS).turnUrl).toBe("turn:near:3478?transport=udp");
    health.markFailed("turn:near:3478?transport=udp", T);
    health.markOk("turn:near:3478?transport=tcp");
    expect(chooseIceServers([near, far], health, T + 1).turnUrl).toBe("turn:near:3478?transport=udp");
  });

  it("when every endpoint failed lately, uses the one that failed longest ago", () => {
    const health = createTurnHealth();
    health.markFailed("turn:far:3478", T);
    health.markFailed("turns:far:443", T + 1);
    health.markFailed("turn:near:3478", T + 2);
    health.markFailed("turns:near:443", T + 3);
    const c = chooseIceServers([near, far], health, T + 100);
    expect(c.turnUrl).toBe("turn:far:3478?transport=udp");
    expect(c.skipped).not.toContain("turn:far:3478?transport=udp");
  });

  it("ignores TURN URLs without a credential and keeps STUN-only lists as they are", () => {
    expect(chooseIceServers([{ urls: ["stun:s:3478", "turn:nocred:3478"] }], createTurnHealth(), T)).toEqual({ servers: [{ urls: "stun:s:3478" }], stunUrl: "stun:s:3478", skipped: [] });
    expect(chooseIceServers([], createTurnHealth(), T)).toEqual({ servers: [], skipped: [] });
  });

  it("names endpoints by scheme, host and port, without the query", () => {
    expect(turnEndpoint("turn:Near:3478?transport=tcp")).toBe("turn:near:3478");
    expect(turnEndpoint("turns:near:443?transport=tcp")).toBe("turns:near:443");
  });
});
