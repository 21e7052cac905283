import { describe, expect, it } from "vitest";
import type { NatSide } from "../../../protocol/path-prediction.ts";
import { explainLive } from "./live-explanation.ts";
import { RELAY_REASONS } from "./relay-reason.ts";
import { explainSession, predictionFor, type SessionFacts } from "./session-explanation.ts";
import { initialSessionState, sessionReducer, type SessionEvent } from "./session-state.ts";

const SYMMETRIC: NatSide = { mapping: "address-and-port-dependent", filtering: "address-and-port-dependent", udpBlocked: false };
const PORT_RESTRICTED: NatSide = { mapping: "endpoint-independent", filtering: "address-and-port-dependent", udpBlocked: false };
const FULL_CONE: NatSide = { mapping: "endpoint-independent", filtering: "endpoint-independent", udpBlocked: false };
const UDP_BLOCKED: NatSide = { mapping: "unknown", filtering: "unknown", udpBlocked: true };

function facts(camera: [NatSide, SessionFacts["cameraNatType"]] | null, viewer: [NatSide, SessionFacts["viewerNatType"]] | null, over: Partial<SessionFacts> = {}): SessionFacts {
  const path = over.path === undefined ? "relay" : over.path;
  return {
    outcome: "ok",
    stage: "live",
    cause: null,
    path,
    firstPath: path,
    relayTransport: path === "relay" ? "udp" : null,
    forcedRelay: false,
    cameraNatType: camera?.[1] ?? null,
    viewerNatType: viewer?.[1] ?? null,
    prediction: predictionFor(camera?.[0] ?? null, viewer?.[0] ?? null, path),
    ...over,
  };
}

describe("explainSession", () => {
  it("explains a relay between a symmetric camera and a port-restricted viewer, and what to change", () => {
    const e = explainSession(facts([SYMMETRIC, "symmetric"], [PORT_RESTRICTED, "port-restricted-cone"]));
    expect(e.text).toBe(
      "Relayed because the camera's router is a symmetric NAT and your network only accepts replies from the exact port it wrote to (port-restricted). " +
        'To get a direct connection: enable UPnP/NAT-PMP or a "full cone" (endpoint-independent) NAT option on the camera\'s router, or watch from a less strict network.',
    );
    expect(e).toMatchObject({ mismatch: false, offerConnectionTest: false });
  });

  it("explains a relay caused by the viewer's network blocking UDP, and that the relay went over TCP", () => {
    const e = explainSession(facts([FULL_CONE, "full-cone"], [UDP_BLOCKED, "udp-blocked"], { relayTransport: "tcp" }));
    expect(e.text).toMatch(/^Relayed because your network blocks UDP\. To get a direct connection: watch from another network/);
    expect(e.text).toMatch(/The relay itself was reached over TCP: UDP is blocked on this network\.$/);
  });

  it("says honestly when both NAT types predicted a direct path yet the session was relayed", () => {
    const e = explainSession(facts([FULL_CONE, "full-cone"], [PORT_RESTRICTED, "port-restricted-cone"]));
    expect(e.mismatch).toBe(true);
    expect(e.text).toMatch(/^Relayed, although both NAT types predicted a direct path: The camera's router is a full-cone NAT .* and your network is a port-restricted NAT/);
    expect(e.text).toMatch(/a firewall that drops unsolicited UDP/);
  });

  it("says honestly when a relay was predicted yet a direct path opened", () => {
    const e = explainSession(facts([SYMMETRIC, "symmetric"], [SYMMETRIC, "symmetric"], { path: "p2p" }));
    expect(e.mismatch).toBe(true);
    expect(e.text).toMatch(/^Direct \(peer-to-peer\), although both NAT types predicted a relay \(both the camera's router and your network are symmetric NATs/);
  });

  it("says what is known when the viewer's NAT was never measured, and offers the connection test", () => {
    const e = explainSession(facts([SYMMETRIC, "symmetric"], null));
    expect(e.text).toBe(
      "Relayed: the path could not be predicted. The camera's router is a symmetric NAT (a new public port for every destination). Your network's NAT type is not known on this device: run Test my connection to measure it.",
    );
    expect(e.offerConnectionTest).toBe(true);
  });

  it("says so when the camera has not reported its NAT", () => {
    const e = explainSession(facts(null, [PORT_RESTRICTED, "port-restricted-cone"]));
    expect(e.text).toMatch(/The camera has not reported its NAT type yet/);
    expect(e.text).toMatch(/Your network is a port-restricted NAT/);
    expect(e.offerConnectionTest).toBe(false);
  });

  it("keeps the forced-relay wording for ?relay=1, whatever the NATs", () => {
    expect(explainSession(facts([FULL_CONE, "full-cone"], [FULL_CONE, "full-cone"], { forcedRelay: true })).text).toBe(RELAY_REASONS.forced);
  });

  it("explains a direct path from both NAT types", () => {
    expect(explainSession(facts([PORT_RESTRICTED, "port-restricted-cone"], [FULL_CONE, "full-cone"], { path: "p2p" })).text).toMatch(/^Direct \(peer-to-peer\): The camera's router is a port-restricted NAT .* so the hole punch works\.$/);
    expect(explainSession(facts(null, null, { path: "lan" }))).toEqual({ text: "Direct over your local network: the camera and this device are on the same network.", mismatch: false, offerConnectionTest: false });
  });

  it("explains a failure at the ICE stage with the two-sided verdict", () => {
    const e = explainSession(facts([SYMMETRIC, "symmetric"], [SYMMETRIC, "symmetric"], { outcome: "failed", stage: "ice", cause: "ice_failed", path: null }));
    expect(e.text).toBe(
      "Failed at the ICE stage (ice_failed): neither a direct path nor a relay answered — your network may block UDP and TCP 443, or the camera's network may. " +
        "Both sides' NATs explain why no direct path opened: both the camera's router and your network are symmetric NATs, and two per-destination mappings never meet; so only the relay could connect you, and it did not answer either.",
    );
  });

  it("explains a failure at the ICE stage when both sides were unknown, offering the test", () => {
    const e = explainSession(facts(null, null, { outcome: "failed", stage: "ice", cause: "ice_failed", path: null }));
    expect(e.text).toMatch(/^Failed at the ICE stage \(ice_failed\): neither a direct path nor a relay answered — your network may block UDP and TCP 443/);
    expect(e.text).toMatch(/The camera has not reported its NAT type yet.*Test my connection/);
    expect(e.offerConnectionTest).toBe(true);
  });

  it("says a failed relay-only session tried only the relay, not what the NATs predict", () => {
    const e = explainSession(facts([FULL_CONE, "full-cone"], [SYMMETRIC, "symmetric"], { outcome: "failed", stage: "ice", cause: "ice_failed", path: null, forcedRelay: true }));
    expect(e.text).toMatch(/ Only the relay was tried \(\?relay=1\), and it did not answer\.$/);
  });

  it("explains a failure before any path was tried without blaming the NATs", () => {
    const e = explainSession(facts([SYMMETRIC, "symmetric"], [SYMMETRIC, "symmetric"], { outcome: "failed", stage: "signaling", cause: "offer_timeout", path: null }));
    expect(e.text).toBe("Failed at the signaling stage (offer_timeout): the camera or the edge did not finish setting up the session — check that the camera is online, then try again.");
  });

  it("explains a connection lost after the video started, and a session left early", () => {
    expect(explainSession(facts(null, null, { outcome: "failed", stage: "live", cause: "connection_lost", path: "p2p" })).text).toMatch(/^The connection was lost after the video started \(connection_lost\)/);
    expect(explainSession(facts(null, null, { outcome: "abandoned", stage: "ice", path: null })).text).toBe("Left during the ICE stage, before the video started.");
  });

  it("says the path changed during the session", () => {
    expect(explainSession(facts(null, null, { path: "p2p", firstPath: "relay" })).text).toMatch(/The path changed during the session \(relay → P2P\)\.$/);
  });
});

describe("explainLive", () => {
  const run = (events: SessionEvent[]) => events.reduce(sessionReducer, initialSessionState);
  const connected: SessionEvent[] = [
    { type: "connect", at: 0, viewerNat: { side: PORT_RESTRICTED, verdict: "port-restricted-cone" } },
    { type: "ticket", sessionId: "sess-0001", cameraNat: { natType: "symmetric", ...SYMMETRIC, hairpinning: null, rfc5780: true, at: 0 } },
    { type: "welcome", at: 10 },
  ];

  it("has nothing to say before a path is selected", () => {
    expect(explainLive(run(connected))).toBeNull();
  });

  it("explains the relay path of a live session from the camera's NAT given with the grant and the viewer's cached test", () => {
    const relay = { kind: "relay" as const, label: "Relay", pairId: "p", local: { type: "relay", address: null, port: null, protocol: "udp", relayProtocol: "udp" }, remote: { type: "host", address: null, port: null, protocol: "udp", relayProtocol: null }, rttMs: 5, nominated: true };
    const s = run([...connected, { type: "ice-state", state: "connected", at: 20 }, { type: "stats", path: relay, video: null }]);
    expect(explainLive(s)?.text).toMatch(/^Relayed because the camera's router is a symmetric NAT and your network only accepts replies from the exact port it wrote to/);
  });

  it("explains a failed session at the stage it failed", () => {
    const s = run([...connected, { type: "fail", error: { code: "ice_failed" } }]);
    expect(explainLive(s)?.text).toMatch(/^Failed at the ICE stage \(ice_failed\)/);
  });
});
