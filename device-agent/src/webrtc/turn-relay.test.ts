// werift against a real local coturn (Debian's turnserver; npm test installs the coturn
// package): relay gathering is timed and logged, the allocation is released (Refresh, lifetime
// 0) instead of lingering on the server for 600 s after close(), and a TURN region that does
// not allocate is passed over by the next session (turn-choice.ts).
import { createSocket } from "node:dgram";
import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RTCPeerConnection } from "werift";
import { coturnInstalled, startCoturn, type Coturn } from "../../../scripts/lib/coturn.ts";
import { waitFor } from "../../../scripts/lib/processes.ts";
import { createLogger } from "../log.ts";
import { chooseIceServers, createTurnHealth } from "./turn-choice.ts";
import { firstTurnUrl, releaseTurnAllocations, watchRelayGathering } from "./turn-relay.ts";

const SECRET = randomBytes(18).toString("base64url");
let coturn: Coturn;

function credential(id: string, expiresAt = Math.floor(Date.now() / 1000) + 600) {
  const username = `${expiresAt}:${id}`;
  return { username, credential: createHmac("sha1", SECRET).update(username).digest("base64") };
}

function relayPc(iceServers: Array<{ urls: string | string[]; username?: string; credential?: string }>) {
  return new RTCPeerConnection({ bundlePolicy: "max-bundle", iceUseIpv6: false, iceTransportPolicy: "relay", iceServers });
}

/** A UDP port on 127.0.0.1 with nothing behind it (bound, then released). */
async function deadUdpPort(): Promise<number> {
  const sock = createSocket("udp4");
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  const { port } = sock.address();
  await new Promise<void>((r) => sock.close(() => r()));
  return port;
}

describe("werift TURN relay against coturn", () => {
  beforeAll(async () => {
    if (!coturnInstalled()) throw new Error("coturn is not installed: apt-get install coturn (npm test installs it)");
    coturn = await startCoturn({ secret: SECRET, name: "agent-turn", verbose: true });
  });
  afterAll(async () => {
    await coturn?.stop();
  });

  it("finds the first turn: URL that has a credential", () => {
    expect(firstTurnUrl([{ urls: "stun:a" }, { urls: ["stun:b", "turn:b?transport=udp"], username: "u", credential: "c" }])).toBe("turn:b?transport=udp");
    expect(firstTurnUrl([{ urls: "turn:nocred" }])).toBeUndefined();
  });

  it("gathers a relay candidate and releases the allocation on close (Refresh lifetime 0)", async () => {
    const id = `agent-${randomBytes(3).toString("hex")}`;
    const pc = relayPc([{ urls: coturn.urls, ...credential(id) }]);
    const lines: string[] = [];
    const stop = watchRelayGathering(pc, { iceServers: [{ urls: coturn.urls, ...credential(id) }], sessionId: "S-relay-1", logger: createLogger({ level: "debug", sink: (l) => lines.push(l) }) });
    pc.createDataChannel("control");
    const t0 = performance.now();
    await pc.setLocalDescription(await pc.createOffer());
    const gatherMs = performance.now() - t0;
    expect(pc.localDescription?.sdp).toMatch(/typ relay raddr/);
    expect(lines.join("\n")).toMatch(/relay-candidate \d+ms/);
    stop();
    expect(await releaseTurnAllocations(pc)).toBe(1);
    await pc.close();
    // coturn logs the allocation's end at once with lifetime 0 (otherwise only after 600 s).
    await waitFor("coturn to delete the allocation", async () => (new RegExp(`refreshed, realm=<[^>]*>, username=<\\d+:${id}>, lifetime=0`).test(coturn.log()) ? true : undefined), 3000);
    console.log(`relay gathering took ${Math.round(gatherMs)} ms`);
  });

  it("warns when no relay candidate arrives (expired credential) instead of staying silent", async () => {
    const expired = credential("agent-expired", Math.floor(Date.now() / 1000) - 10);
    const servers = [{ urls: coturn.urls, ...expired }];
    const pc = relayPc(servers);
    const lines: string[] = [];
    const stop = watchRelayGathering(pc, { iceServers: servers, sessionId: "S-relay-2", logger: createLogger({ sink: (l) => lines.push(l) }), timeoutMs: 500 });
    pc.createDataChannel("control");
    void pc.setLocalDescription(await pc.createOffer()).catch(() => {});
    await waitFor("the missing-relay warning", async () => (lines.some((l) => l.includes("no relay candidate")) ? true : undefined), 3000);
    stop();
    await pc.close();
  });

  it("reports a relay that arrives after the warning as working after all (werift's slow UDP→TCP fallback)", async () => {
    const servers = [{ urls: coturn.urls, ...credential(`agent-${randomBytes(3).toString("hex")}`) }];
    const pc = relayPc(servers);
    const outcomes: boolean[] = [];
    // A timeout shorter than any allocation: the warning always comes first.
    const stop = watchRelayGathering(pc, { iceServers: servers, sessionId: "S-relay-late", logger: createLogger({ sink: () => {} }), timeoutMs: 1, onOutcome: (_u, ok) => outcomes.push(ok) });
    pc.createDataChannel("control");
    await pc.setLocalDescription(await pc.createOffer());
    await waitFor("the late relay outcome", async () => (outcomes.length === 2 ? true : undefined), 3000);
    expect(outcomes).toEqual([false, true]);
    stop();
    await releaseTurnAllocations(pc, 500);
    await pc.close();
  });

  it("passes over a TURN region that did not allocate: the next session relays through the fallback region", async () => {
    const dead = await deadUdpPort();
    const id = `agent-${randomBytes(3).toString("hex")}`;
    const nearest = { urls: [`stun:127.0.0.1:${dead}`, `turn:127.0.0.1:${dead}?transport=udp`], ...credential(id) };
    const fallback = { urls: coturn.urls, ...credential(id) };
    const health = createTurnHealth();
    const lines: string[] = [];
    const logger = createLogger({ level: "debug", sink: (l) => lines.push(l) });
    const session = async (sessionId: string) => {
      const choice = chooseIceServers([nearest, fallback], health, Date.now());
      const pc = relayPc(choice.servers);
      let outcome: boolean | undefined;
      const stop = watchRelayGathering(pc, {
        iceServers: choice.servers,
        sessionId,
        logger,
        timeoutMs: 1500,
        onOutcome: (url, ok) => {
          outcome = ok;
          if (ok) health.markOk(url);
          else health.markFailed(url, Date.now());
        },
      });
      pc.createDataChannel("control");
      void pc.setLocalDescription(await pc.createOffer()).catch(() => {});
      await waitFor(`session ${sessionId}'s relay outcome`, async () => outcome, 5000);
      stop();
      await releaseTurnAllocations(pc, 500);
      await pc.close();
      return { turnUrl: choice.turnUrl, relayed: outcome };
    };
    expect(await session("S-region-1")).toEqual({ turnUrl: `turn:127.0.0.1:${dead}?transport=udp`, relayed: false });
    expect(await session("S-region-2")).toEqual({ turnUrl: coturn.urls[1], relayed: true });
    expect(lines.join("\n")).toMatch(new RegExp(`no relay candidate from turn:127.0.0.1:${dead}`));
  }, 20_000);
});
