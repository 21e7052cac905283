// werift with the agent's relay gathering (relay-gathering.ts) against a real local coturn
// (Debian's turnserver; npm test installs the coturn package): the transports are raced, a
// transport that cannot allocate costs only the stagger, each outcome is credited to its own
// transport, and allocations are released (Refresh, lifetime 0) instead of lingering for 600 s.
import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RTCPeerConnection } from "werift";
import { coturnInstalled, startCoturn, type Coturn } from "../../../scripts/lib/coturn.ts";
import { deadUdpPort, waitFor } from "../../../scripts/lib/processes.ts";
import { gatherRelaysWith, type RelayPlan } from "./relay-gathering.ts";
import { chooseIceServers, createTurnHealth, TURN_STAGGER_MS, type TurnAttempt } from "../webrtc/turn-choice.ts";
import { releaseTurnAllocations } from "./turn-relay.ts";
import { installWeriftShims } from "./werift-shims.ts";

installWeriftShims();

const SECRET = randomBytes(18).toString("base64url");
let coturn: Coturn;

function credential(id: string, expiresAt = Math.floor(Date.now() / 1000) + 600) {
  const username = `${expiresAt}:${id}`;
  return { username, credential: createHmac("sha1", SECRET).update(username).digest("base64") };
}

interface Outcome {
  transport: string;
  ok: boolean;
  ms: number;
  reason?: string;
}

/** Gathers like a camera session does: werift gets only STUN, relays come from the plan. */
async function gather(servers: Parameters<typeof chooseIceServers>[0], health = createTurnHealth(), timeoutMs?: number) {
  const choice = chooseIceServers(servers, health, Date.now());
  const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle", iceUseIpv6: false, iceServers: choice.servers, iceAdditionalHostAddresses: ["127.0.0.1"] });
  const outcomes: Outcome[] = [];
  const skipped: string[] = [];
  const plan: RelayPlan = {
    attempts: choice.attempts,
    ...(timeoutMs ? { timeoutMs } : {}),
    onAllocated: (a: TurnAttempt, ms) => {
      health.markOk(a.url);
      outcomes.push({ transport: a.transport, ok: true, ms });
    },
    onFailed: (a: TurnAttempt, ms, reason) => {
      health.markFailed(a.url, Date.now());
      outcomes.push({ transport: a.transport, ok: false, ms, reason });
    },
    onSkipped: (a: TurnAttempt) => skipped.push(a.transport),
  };
  pc.createDataChannel("control");
  const offer = await pc.createOffer();
  gatherRelaysWith(pc, plan);
  const t0 = performance.now();
  await pc.setLocalDescription(offer);
  return { pc, outcomes, skipped, gatherMs: performance.now() - t0, sdp: pc.localDescription?.sdp ?? "" };
}

describe("relay gathering against coturn", () => {
  beforeAll(async () => {
    if (!coturnInstalled()) throw new Error("coturn is not installed: apt-get install coturn (npm test installs it)");
    coturn = await startCoturn({ secret: SECRET, name: "agent-relay", verbose: true });
  });
  afterAll(async () => {
    await coturn?.stop();
  });

  it("allocates over UDP first on an open network, never starts TCP, and releases the allocation on close", async () => {
    const id = `agent-${randomBytes(3).toString("hex")}`;
    const g = await gather([{ urls: coturn.urls, ...credential(id) }]);
    expect(g.outcomes).toEqual([{ transport: "udp", ok: true, ms: expect.any(Number) }]);
    expect(g.outcomes[0]!.ms).toBeLessThan(TURN_STAGGER_MS);
    expect(g.skipped).toEqual(["tcp"]);
    expect(g.sdp).toMatch(/typ relay raddr/);
    expect(await releaseTurnAllocations(g.pc)).toBe(1);
    await g.pc.close();
    // coturn logs the allocation's end at once with lifetime 0 (otherwise only after 600 s).
    await waitFor("coturn to delete the allocation", async () => (new RegExp(`refreshed, realm=<[^>]*>, username=<\\d+:${id}>, lifetime=0`).test(coturn.log()) ? true : undefined), 3000);
  });

  it("gets a relay over TCP within the stagger plus a moment when UDP to the TURN server is blocked, and credits only TCP", async () => {
    const dead = await deadUdpPort();
    const tcpPort = coturn.port;
    const health = createTurnHealth();
    const servers = [{ urls: [`stun:127.0.0.1:${tcpPort}`, `turn:127.0.0.1:${dead}?transport=udp`, `turn:127.0.0.1:${tcpPort}?transport=tcp`], ...credential(`agent-${randomBytes(3).toString("hex")}`) }];
    const g = await gather(servers, health, 1500);
    const tcp = g.outcomes.find((o) => o.transport === "tcp");
    expect(tcp?.ok).toBe(true);
    expect(tcp!.ms).toBeGreaterThanOrEqual(TURN_STAGGER_MS);
    expect(tcp!.ms).toBeLessThan(TURN_STAGGER_MS + 600);
    expect(g.outcomes.find((o) => o.transport === "udp")).toMatchObject({ ok: false, reason: "no allocation within 1500 ms" });
    expect(health.failedAt(`turn:127.0.0.1:${dead}?transport=udp`)).toBeDefined();
    expect(health.failedAt(`turn:127.0.0.1:${tcpPort}?transport=tcp`)).toBeUndefined();
    expect(g.sdp).toMatch(/typ relay raddr/);
    await releaseTurnAllocations(g.pc, 500);
    await g.pc.close();

    // The next session on this network starts with TCP: a relay at once, UDP never tried.
    const next = await gather(servers, health, 1500);
    expect(next.outcomes).toEqual([{ transport: "tcp", ok: true, ms: expect.any(Number) }]);
    expect(next.outcomes[0]!.ms).toBeLessThan(TURN_STAGGER_MS);
    expect(next.skipped).toEqual(["udp"]);
    await releaseTurnAllocations(next.pc, 500);
    await next.pc.close();
  });

  it("reports every transport failed (and no relay) when the server refuses an expired credential", async () => {
    const expired = credential("agent-expired", Math.floor(Date.now() / 1000) - 10);
    const g = await gather([{ urls: coturn.urls, ...expired }], createTurnHealth(), 1500);
    expect(g.outcomes.map((o) => `${o.transport}:${o.ok}`).sort()).toEqual(["tcp:false", "udp:false"]);
    expect(g.sdp).not.toMatch(/typ relay/);
    await g.pc.close();
  });
});
