import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { NatDiscoveryOptions, NatReport } from "./discover.ts";
import { createNatMonitor, parseStunTarget, stunTargetsFrom, type NatDiscoveryReason } from "./monitor.ts";

const report: NatReport = { natType: "port-restricted-cone", udpBlocked: false, mapping: "endpoint-independent", filtering: "address-and-port-dependent", hairpinning: false, server: "s:3478", rfc5780: true, durationMs: 5 };

function harness(opts: { refreshMs?: number } = {}) {
  let addresses = "192.168.1.10";
  const runs: Array<{ reason: NatDiscoveryReason; options: NatDiscoveryOptions }> = [];
  const asked: NatDiscoveryOptions[] = [];
  const monitor = createNatMonitor({
    discover: async (options) => {
      asked.push(options);
      return report;
    },
    onReport: (_r, reason) => runs.push({ reason, options: asked.at(-1)! }),
    pollMs: 1000,
    refreshMs: opts.refreshMs ?? 60_000,
    addressFingerprint: () => addresses,
    now: () => Date.now(),
  });
  return { monitor, runs, setAddresses: (a: string) => (addresses = a) };
}

describe("NAT discovery schedule", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once at start, again when the local addresses change, and otherwise only when the refresh period is over", async () => {
    const h = harness({ refreshMs: 60_000 });
    h.monitor.setServers(["stun.example", 3478]);
    h.monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.runs.map((r) => r.reason)).toEqual(["start"]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(h.runs).toHaveLength(1);
    h.setAddresses("10.0.0.5");
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.runs.map((r) => r.reason)).toEqual(["start", "network-change"]);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(h.runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.runs.map((r) => r.reason)).toEqual(["start", "network-change", "refresh"]);
    expect(h.monitor.last).toEqual(report);
    h.monitor.stop();
    h.setAddresses("10.0.0.6");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.runs).toHaveLength(3);
  });

  it("runs again when asked, and once more right after a run that was in flight when asked", async () => {
    let release!: () => void;
    const runs: NatDiscoveryReason[] = [];
    let calls = 0;
    const monitor = createNatMonitor({
      discover: () => {
        calls++;
        return calls === 1 ? new Promise<NatReport>((r) => (release = () => r(report))) : Promise.resolve(report);
      },
      onReport: (_r, reason) => runs.push(reason),
      pollMs: 1000,
      addressFingerprint: () => "a",
    });
    monitor.refresh();
    expect(calls).toBe(0);
    monitor.setServers(["stun.example", 3478]);
    monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    monitor.refresh();
    monitor.refresh();
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual(["start", "requested"]);
    monitor.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual(["start", "requested", "requested"]);
    monitor.stop();
  });

  it("waits for a STUN server, then runs at once with the one it learns from a session's ICE servers", async () => {
    const h = harness();
    h.monitor.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.runs).toHaveLength(0);
    h.monitor.learnFrom([
      { urls: ["turns:fra.turn.example:443?transport=tcp", "turn:fra.turn.example:3478?transport=udp", "stun:fra.turn.example:3478"], username: "u", credential: "c" },
      { urls: ["stun:iad.turn.example:3478"] },
    ]);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.runs.map((r) => r.options)).toEqual([{ stunServer: ["fra.turn.example", 3478], altServer: ["iad.turn.example", 3478] }]);
  });

  it("keeps a server set explicitly over one learned from a session", async () => {
    const h = harness();
    h.monitor.setServers(["198.51.100.10", 3478]);
    h.monitor.learnFrom([{ urls: "stun:other.example:3478" }]);
    h.monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.runs[0]?.options.stunServer).toEqual(["198.51.100.10", 3478]);
  });
});

describe("STUN server parsing", () => {
  it("reads host:port, a bare host (3478) and stun:/turn: URLs, and refuses junk", () => {
    expect(parseStunTarget("198.51.100.10:3478")).toEqual(["198.51.100.10", 3478]);
    expect(parseStunTarget("stun.example.com")).toEqual(["stun.example.com", 3478]);
    expect(parseStunTarget("turn:fra.example:3479?transport=udp")).toEqual(["fra.example", 3479]);
    expect(parseStunTarget("host:99999")).toBeUndefined();
    expect(parseStunTarget("a b")).toBeUndefined();
  });

  it("takes no TLS or TCP-only TURN URL as a STUN server", () => {
    expect(stunTargetsFrom([{ urls: ["turns:x.example:443?transport=tcp", "turn:x.example:3478?transport=tcp"] }])).toEqual([]);
  });
});
