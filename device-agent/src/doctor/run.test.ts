// The doctor end to end with every piece of the world faked: which checks run after which, the
// exit code, and that no secret reaches either printer.
import { UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { DEVICE_TOKEN_AUDIENCE, type DeviceDoctorResponse } from "../../../protocol/index.ts";
import { formatHuman, formatJson } from "./format.ts";
import { runDoctor, type DoctorDeps } from "./run.ts";
import type { TurnOutcome } from "./relays.ts";

const NOW = Date.parse("2026-12-06T12:00:00Z");
const TOKEN = new UnsecuredJWT({ aud: DEVICE_TOKEN_AUDIENCE, iss: "vendor-1", sub: "CAM-0001", exp: NOW / 1000 + 365 * 86_400 }).encode();
const TURN_CREDENTIAL = "c2VjcmV0LXR1cm4tY3JlZGVudGlhbA==";
const ROUTES = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\nlo0\t00000000\t0100000A\t0003\t0\t0\t0\t00000000\n";

const edgeBody: DeviceDoctorResponse = {
  serial: "CAM-0001",
  serverTime: new Date(NOW).toISOString(),
  turnConfigured: true,
  iceServers: [{ urls: ["stun:turn.test:3478", "turn:turn.test:3478?transport=udp", "turn:turn.test:3478?transport=tcp", "turns:turn.test:443?transport=tcp"], username: "1800000000:CAM-0001.doctor", credential: TURN_CREDENTIAL }],
};

function fakeDeps(o: { clockOffsetMs?: number; health?: () => Promise<Response>; doctor?: () => Promise<Response>; turn?: Partial<Record<string, TurnOutcome>> } = {}): DoctorDeps {
  return {
    now: () => NOW + (o.clockOffsetMs ?? 0),
    timeoutMs: 1000,
    networkFacts: (edgeIsLocal) => ({ interfaces: { eth0: [{ address: "10.0.0.2", family: "IPv4", internal: false, netmask: "255.0.0.0", mac: "", cidr: null }] }, routeTable: ROUTES, edgeIsLocal }),
    lookupAll: async () => ["192.0.2.10"],
    fetch: async (url) => {
      if (url.endsWith("/api/health")) return o.health ? o.health() : Response.json({ ok: true, version: "0.1.0" });
      return o.doctor ? o.doctor() : Response.json(edgeBody);
    },
    probeWebSocket: async (url) => (url.includes("/ws/device/") ? { kind: "http", status: 401, code: "unauthorized" } : { kind: "opened", closeCode: 4401, reason: "ticket_invalid" }),
    probeStun: async () => ({ ok: true, mapped: "203.0.113.9:40000", ms: 5 }),
    probeTurn: async (a) => o.turn?.[a.transport] ?? { ok: true, ms: 7, relayed: "198.51.100.1:50000" },
  };
}

const input = { edge: "https://edge.example.com", serial: "CAM-0001", token: TOKEN };
const statusOf = (run: Awaited<ReturnType<typeof runDoctor>>) => Object.fromEntries(run.report.checks.map((c) => [c.id, c.status]));

describe("porthole-agent doctor (faked world)", () => {
  it("runs twelve checks in order and exits 0 when nothing failed", async () => {
    const run = await runDoctor(input, fakeDeps());
    expect(run.report.checks.map((c) => c.id)).toEqual(["network", "dns", "edge_https", "edge_websocket", "clock", "device_token", "stun_udp", "turn_udp", "turn_tcp", "turn_tls", "nat_type", "hairpinning"]);
    expect(run.report.exitCode).toBe(0);
    expect(statusOf(run)).toMatchObject({ edge_https: "pass", clock: "pass", device_token: "pass", turn_tls: "pass", nat_type: "skip" });
  });

  it("never prints the device token or the TURN credential, in text or JSON", async () => {
    const run = await runDoctor(input, fakeDeps({ turn: { udp: { ok: false, kind: "auth", detail: `401 ${TURN_CREDENTIAL}`, ms: 1 } } }));
    for (const out of [formatHuman(run.report, run.secrets), formatJson(run.report, run.secrets)]) {
      expect(out).not.toContain(TOKEN);
      expect(out).not.toContain(TOKEN.split(".")[1]);
      expect(out).not.toContain(TURN_CREDENTIAL);
    }
    expect(formatHuman(run.report, run.secrets)).toContain("[redacted]");
  });

  it("with the camera's clock 10 minutes ahead, fails only the clock and still trusts the edge's time for the token", async () => {
    const run = await runDoctor(input, fakeDeps({ clockOffsetMs: 10 * 60_000 }));
    expect(run.report.checks.filter((c) => c.status === "fail").map((c) => c.id)).toEqual(["clock"]);
    expect(run.report.exitCode).toBe(1);
  });

  it("with the edge unreachable, fails HTTPS and skips what needs the edge instead of piling up failures", async () => {
    const refused = () => Promise.reject(new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }));
    const run = await runDoctor(input, { ...fakeDeps({ health: refused, doctor: refused }), probeWebSocket: async () => ({ kind: "error", error: { kind: "refused", detail: "ECONNREFUSED" } }) });
    expect(statusOf(run)).toMatchObject({ edge_https: "fail", edge_websocket: "skip", clock: "skip", device_token: "skip", stun_udp: "skip", turn_udp: "skip" });
    expect(run.report.checks.find((c) => c.id === "edge_https")!.code).toBe("edge_unreachable");
    expect(run.report.exitCode).toBe(1);
  });

  it("with the camera revoked, fails the token and does not probe relays it was refused", async () => {
    let turnProbes = 0;
    const deps = fakeDeps({
      doctor: async () => Response.json({ error: { code: "device_revoked", message: "This device has been revoked." } }, { status: 403 }),
      health: async () => Response.json({ ok: true, version: "0.1.0" }, { headers: { date: new Date(NOW).toUTCString() } }),
    });
    const run = await runDoctor(input, { ...deps, probeTurn: async (a, t) => (turnProbes++, deps.probeTurn(a, t)) });
    expect(run.report.checks.find((c) => c.id === "device_token")).toMatchObject({ status: "fail", code: "token_revoked" });
    expect(turnProbes).toBe(0);
    // The clock falls back to the health answer's Date header when the edge refuses the token.
    expect(run.report.checks.find((c) => c.id === "clock")).toMatchObject({ status: "pass", details: { source: "http-date" } });
  });

  it("prints one line per check with its mark and a Fix line under problems", async () => {
    const run = await runDoctor(input, fakeDeps({ clockOffsetMs: 10 * 60_000 }));
    const text = formatHuman(run.report, run.secrets);
    expect(text).toMatch(/^✓ Network +eth0 10\.0\.0\.2/m);
    expect(text).toMatch(/^✗ Clock +The camera's clock is 10 min ahead of the edge's\./m);
    expect(text).toMatch(/^ +Fix: Turn on time sync/m);
    expect(text).toMatch(/^- NAT type +Not available:/m);
    expect(text).toMatch(/Result: 1 check failed \(Clock\)/);
  });
});
