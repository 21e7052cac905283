import { describe, expect, it } from "vitest";
import { chooseIceServers, createTurnHealth, parseTurnUrl, TURN_FAILURE_MEMORY_MS, TURN_STAGGER_MS, turnEndpoint } from "./turn-choice.ts";

const near = { urls: ["stun:near:3478", "turn:near:3478?transport=udp", "turn:near:3478?transport=tcp", "turns:near:443?transport=tcp"], username: "u1", credential: "c1" };
const far = { urls: ["stun:far:3478", "turn:far:3478?transport=udp", "turns:far:443?transport=tcp"], username: "u2", credential: "c2" };
const T = 1_000_000;
const race = (c: ReturnType<typeof chooseIceServers>) => c.attempts.map((a) => `${a.transport}@${a.delayMs}`);

describe("chooseIceServers (the relay race the agent runs for each session)", () => {
  it("starts UDP at once and TCP and TLS 443 a moment later, in the nearest region, with its STUN for werift", () => {
    const c = chooseIceServers([near, far], createTurnHealth(), T);
    expect(c.servers).toEqual([{ urls: "stun:near:3478" }]);
    expect(race(c)).toEqual(["udp@0", `tcp@${TURN_STAGGER_MS}`, `tls@${TURN_STAGGER_MS}`]);
    expect(c.attempts[2]).toMatchObject({ url: "turns:near:443?transport=tcp", host: "near", port: 443, username: "u1", credential: "c1" });
    expect(c.skipped).toEqual([]);
  });

  it("starts with TCP on a network where UDP failed lately, and still tries UDP after the stagger", () => {
    const health = createTurnHealth();
    health.markFailed("turn:near:3478?transport=udp", T);
    const c = chooseIceServers([near, far], health, T + 1000);
    expect(race(c)).toEqual(["tcp@0", `udp@${TURN_STAGGER_MS}`, `tls@${TURN_STAGGER_MS}`]);
    expect(c.skipped).toEqual(["turn:near:3478?transport=udp"]);
  });

  it("starts with TLS 443 on a network where only that allocated", () => {
    const health = createTurnHealth();
    health.markFailed("turn:near:3478?transport=udp", T);
    health.markFailed("turn:near:3478?transport=tcp", T);
    expect(race(chooseIceServers([near, far], health, T + 1000))[0]).toBe("tls@0");
  });

  it("does not count a TCP relay as UDP's success: each transport has its own health", () => {
    const health = createTurnHealth();
    health.markFailed("turn:near:3478?transport=udp", T);
    health.markOk("turn:near:3478?transport=tcp");
    expect(health.failedAt("turn:near:3478?transport=udp")).toBe(T);
    expect(race(chooseIceServers([near, far], health, T + 1))[0]).toBe("tcp@0");
  });

  it("moves to the fallback region, with that region's STUN, when every transport of the nearest failed", () => {
    const health = createTurnHealth();
    for (const u of near.urls.slice(1)) health.markFailed(u, T);
    const c = chooseIceServers([near, far], health, T + 1000);
    expect(c.servers).toEqual([{ urls: "stun:far:3478" }]);
    expect(c.attempts.map((a) => a.url)).toEqual(["turn:far:3478?transport=udp", "turns:far:443?transport=tcp"]);
    expect(c.skipped).toEqual(near.urls.slice(1));
  });

  it("tries a failed transport first again once the memory has passed", () => {
    const health = createTurnHealth();
    health.markFailed("turn:near:3478?transport=udp", T);
    expect(race(chooseIceServers([near, far], health, T + TURN_FAILURE_MEMORY_MS))[0]).toBe("udp@0");
  });

  it("when every transport of every region failed lately, races the region whose failures are oldest", () => {
    const health = createTurnHealth();
    for (const u of far.urls.slice(1)) health.markFailed(u, T);
    for (const u of near.urls.slice(1)) health.markFailed(u, T + 5);
    const c = chooseIceServers([near, far], health, T + 100);
    expect(c.attempts[0]!.url).toBe("turn:far:3478?transport=udp");
  });

  it("ignores TURN URLs without a credential and keeps STUN-only lists as they are", () => {
    expect(chooseIceServers([{ urls: ["stun:s:3478", "turn:nocred:3478"] }], createTurnHealth(), T)).toEqual({ servers: [{ urls: "stun:s:3478" }], stunUrl: "stun:s:3478", attempts: [], skipped: [] });
    expect(chooseIceServers([], createTurnHealth(), T)).toEqual({ servers: [], attempts: [], skipped: [] });
  });
});

describe("parseTurnUrl (RFC 7065)", () => {
  it("reads transport and default ports: turn: is UDP on 3478 unless ?transport=tcp, turns: is TLS on 5349", () => {
    expect(parseTurnUrl("turn:a.example")).toEqual({ host: "a.example", port: 3478, transport: "udp" });
    expect(parseTurnUrl("turn:a.example:3479?transport=tcp")).toEqual({ host: "a.example", port: 3479, transport: "tcp" });
    expect(parseTurnUrl("turns:a.example")).toEqual({ host: "a.example", port: 5349, transport: "tls" });
    expect(parseTurnUrl("turns:198.51.100.10:443?transport=tcp")).toEqual({ host: "198.51.100.10", port: 443, transport: "tls" });
    expect(parseTurnUrl("turn:[2001:db8::1]:3478")).toEqual({ host: "2001:db8::1", port: 3478, transport: "udp" });
  });

  it("refuses what is not a TURN URL it can use", () => {
    for (const bad of ["stun:a", "turns:a?transport=udp", "turn:a?transport=sctp", "turn:a:99999", "turn:"]) expect(parseTurnUrl(bad)).toBeUndefined();
  });

  it("names a health key by transport, host and port", () => {
    expect(turnEndpoint("turn:Near:3478?transport=tcp")).toBe("tcp:near:3478");
    expect(turnEndpoint("turn:near:3478")).toBe("udp:near:3478");
    expect(turnEndpoint("turns:near:443?transport=tcp")).toBe("tls:near:443");
  });
});
