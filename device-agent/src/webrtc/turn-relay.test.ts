// werift against a real local coturn (Debian's turnserver; skipped where it is not installed):
// relay gathering is timed and logged, and the allocation is released (Refresh, lifetime 0)
// instead of lingering on the server for 600 s after close().
import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RTCPeerConnection } from "werift";
import { coturnInstalled, startCoturn, type Coturn } from "../../../scripts/lib/coturn.ts";
import { waitFor } from "../../../scripts/lib/processes.ts";
import { createLogger } from "../log.ts";
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

describe.skipIf(!coturnInstalled())("werift TURN relay against coturn", () => {
  beforeAll(async () => {
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
});
