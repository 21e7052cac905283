import { describe, expect, it } from "vitest";
import { classifyPath, findSelectedPair, isPrivateAddress, NOMINATION_WAIT_MAX_MS, pathSettled, type StatLike } from "./path-classification.ts";

type Cand = { type: string; address?: string; relayProtocol?: string };

/** A getStats()-shaped report with one transport, its selected pair and two candidates. */
function report(local: Cand, remote: Cand, pair: Partial<StatLike> = {}, transport = true): StatLike[] {
  const stats: StatLike[] = [
    { id: "CL1", type: "local-candidate", candidateType: local.type, address: local.address, port: 50000, protocol: "udp", relayProtocol: local.relayProtocol },
    { id: "CR1", type: "remote-candidate", candidateType: remote.type, address: remote.address, port: 40000, protocol: "udp" },
    { id: "CP1", type: "candidate-pair", localCandidateId: "CL1", remoteCandidateId: "CR1", state: "succeeded", nominated: true, currentRoundTripTime: 0.012, ...pair },
    { id: "CP2", type: "candidate-pair", localCandidateId: "CL1", remoteCandidateId: "CR1", state: "failed", nominated: false },
    { id: "IT01V", type: "inbound-rtp", kind: "video" },
  ];
  if (transport) stats.push({ id: "T01", type: "transport", selectedCandidatePairId: "CP1", dtlsState: "connected" });
  return stats;
}

describe("classifyPath", () => {
  it("calls a server-reflexive pair on 127.0.0.1 LAN (STUN server on the same machine), but not a private srflx", () => {
    expect(classifyPath(report({ type: "srflx", address: "127.0.0.1" }, { type: "host", address: "127.0.0.1" }))?.kind).toBe("lan");
    expect(classifyPath(report({ type: "srflx", address: "10.0.0.2" }, { type: "srflx", address: "10.0.1.2" }))?.kind).toBe("p2p");
  });

  it("calls a host-to-host pair LAN direct", () => {
    const path = classifyPath(report({ type: "host", address: "192.168.1.20" }, { type: "host", address: "192.168.1.30" }));
    expect(path?.kind).toBe("lan");
    expect(path?.label).toBe("LAN direct");
  });

  it("calls Chromium's prflx-to-loopback-host pair LAN direct", () => {
    const path = classifyPath(report({ type: "prflx", address: "127.0.0.1" }, { type: "host", address: "127.0.0.1" }));
    expect(path?.kind).toBe("lan");
  });

  it("calls a host pair with an mDNS local address LAN direct", () => {
    const path = classifyPath(report({ type: "host", address: "3f1c-aa.local" }, { type: "prflx", address: "10.0.0.7" }));
    expect(path?.kind).toBe("lan");
  });

  it("calls a server-reflexive pair hole-punched P2P", () => {
    const path = classifyPath(report({ type: "srflx", address: "203.0.113.9" }, { type: "srflx", address: "198.51.100.4" }));
    expect(path?.label).toBe("P2P (hole-punched)");
  });

  it("calls a prflx pair with a public address hole-punched P2P", () => {
    const path = classifyPath(report({ type: "host", address: "192.168.1.20" }, { type: "prflx", address: "198.51.100.4" }));
    expect(path?.kind).toBe("p2p");
  });

  it("calls any pair with a relay candidate Relay (TURN)", () => {
    expect(classifyPath(report({ type: "relay", address: "192.0.2.1", relayProtocol: "udp" }, { type: "host", address: "10.0.0.2" }))?.label).toBe("Relay (TURN)");
    expect(classifyPath(report({ type: "srflx", address: "203.0.113.9" }, { type: "relay", address: "192.0.2.1" }))?.kind).toBe("relay");
  });

  it("reports the current round-trip time in milliseconds", () => {
    expect(classifyPath(report({ type: "host" }, { type: "host" }))?.rttMs).toBe(12);
  });

  it("falls back to the average round-trip time when there is no current one", () => {
    const path = classifyPath(report({ type: "host" }, { type: "host" }, { currentRoundTripTime: undefined, totalRoundTripTime: 0.09, responsesReceived: 3 }));
    expect(path?.rttMs).toBe(30);
  });

  it("returns null before any pair is selected", () => {
    const stats = report({ type: "host" }, { type: "host" }, { nominated: false, state: "in-progress" }, false);
    expect(classifyPath(stats)).toBeNull();
  });

  it("accepts the values() of a Map-like report", () => {
    const map = new Map(report({ type: "host" }, { type: "host" }).map((s) => [s.id, s]));
    expect(classifyPath(map.values())?.kind).toBe("lan");
  });
});

describe("findSelectedPair", () => {
  it("prefers the transport's selected pair over other nominated pairs", () => {
    const stats = report({ type: "host" }, { type: "host" });
    stats.push({ id: "CP3", type: "candidate-pair", state: "succeeded", nominated: true });
    expect(findSelectedPair(stats)?.id).toBe("CP1");
  });

  it("uses Firefox's selected flag when there is no transport entry", () => {
    const stats = report({ type: "host" }, { type: "host" }, { nominated: false }, false);
    stats.push({ id: "CP9", type: "candidate-pair", selected: true });
    expect(findSelectedPair(stats)?.id).toBe("CP9");
  });

  it("falls back to the nominated succeeded pair", () => {
    expect(findSelectedPair(report({ type: "host" }, { type: "host" }, {}, false))?.id).toBe("CP1");
  });
});

describe("isPrivateAddress", () => {
  it.each(["10.1.2.3", "127.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.10", "169.254.1.1", "::1", "fd12:3456::1", "fe80::1", "abc.local", "::ffff:192.168.1.1"])(
    "treats %s as private",
    (a) => expect(isPrivateAddress(a)).toBe(true),
  );
  it.each(["8.8.8.8", "172.32.0.1", "100.64.0.1", "2001:db8::1", "203.0.113.9"])("treats %s as public", (a) =>
    expect(isPrivateAddress(a)).toBe(false),
  );
});

describe("pathSettled", () => {
  const relayFirst = () => classifyPath(report({ type: "relay", address: "192.0.2.1", relayProtocol: "udp" }, { type: "srflx", address: "198.51.100.4" }, { nominated: false }));

  it("does not take a pair the browser picked before the camera's nomination as the session's path", () => {
    const path = relayFirst();
    expect(path?.kind).toBe("relay");
    expect(path?.nominated).toBe(false);
    expect(pathSettled(path, null, 1000)).toBe(false);
    expect(pathSettled(path, 1000, 1000 + NOMINATION_WAIT_MAX_MS - 1)).toBe(false);
  });

  it("takes a nominated pair at once, and one a browser never flags after the longest wait", () => {
    const nominated = classifyPath(report({ type: "srflx", address: "203.0.113.9" }, { type: "prflx", address: "198.51.100.4" }));
    expect(pathSettled(nominated, null, 0)).toBe(true);
    const unflagged = classifyPath(report({ type: "host" }, { type: "host" }, { nominated: undefined }));
    expect(unflagged?.nominated).toBeNull();
    expect(pathSettled(unflagged, null, 0)).toBe(true);
    expect(pathSettled(relayFirst(), 1000, 1000 + NOMINATION_WAIT_MAX_MS)).toBe(true);
  });

  it("has nothing to settle on before a pair is selected", () => {
    expect(pathSettled(null, 0, 10 * NOMINATION_WAIT_MAX_MS)).toBe(false);
  });
});
