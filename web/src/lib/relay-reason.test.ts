import { describe, expect, it } from "vitest";
import type { StatLike } from "./path-classification.ts";
import { RELAY_REASONS, relayForced, relayReason } from "./relay-reason.ts";

const cand = (id: string, side: "local" | "remote", candidateType: string, extra: Record<string, unknown> = {}): StatLike => ({
  id,
  type: `${side}-candidate`,
  candidateType,
  ...extra,
});
const pair = (id: string, local: string, remote: string, state: string, extra: Record<string, unknown> = {}): StatLike => ({
  id,
  type: "candidate-pair",
  localCandidateId: local,
  remoteCandidateId: remote,
  state,
  ...extra,
});

const relayed = (relayProtocol = "udp") => [
  cand("Lr", "local", "relay", { relayProtocol }),
  cand("Rh", "remote", "host"),
  pair("P-relay", "Lr", "Rh", "succeeded", { nominated: true }),
];

describe("relayReason", () => {
  it("is null when the selected pair is direct", () => {
    const stats = [cand("Lh", "local", "host"), cand("Rh", "remote", "host"), pair("P", "Lh", "Rh", "succeeded")];
    expect(relayReason(stats, "P", false)).toBeNull();
  });

  it("says the relay was asked for when the page forced it (?relay=1)", () => {
    expect(relayReason(relayed(), "P-relay", true)).toBe(RELAY_REASONS.forced);
  });

  it("blames a strict NAT or blocked UDP when every direct pair was tried and failed", () => {
    const stats = [...relayed(), cand("Lh", "local", "host"), cand("Ls", "local", "srflx"), cand("Rs", "remote", "srflx"), pair("P1", "Lh", "Rh", "failed"), pair("P2", "Ls", "Rs", "failed")];
    const reason = relayReason(stats, "P-relay", false);
    expect(reason).toBe(RELAY_REASONS.directFailed);
    expect(reason).toMatch(/symmetric/);
  });

  it("counts unanswered direct checks as failed", () => {
    const stats = [...relayed(), cand("Ls", "local", "srflx"), cand("Rs", "remote", "srflx"), pair("P1", "Ls", "Rs", "in-progress", { responsesReceived: 0 })];
    expect(relayReason(stats, "P-relay", false)).toBe(RELAY_REASONS.directFailed);
  });

  it("says UDP is blocked when neither side learned a public address", () => {
    expect(relayReason(relayed(), "P-relay", false)).toBe(RELAY_REASONS.noDirectCandidates);
  });

  it("says UDP is blocked here when the relay itself runs over TCP or TLS", () => {
    expect(relayReason(relayed("tls"), "P-relay", false)).toBe(RELAY_REASONS.relayOverTcp);
  });
});

describe("relayForced", () => {
  it("reads ?relay=1 and nothing else", () => {
    expect(relayForced("?relay=1")).toBe(true);
    expect(relayForced("?serial=CAM-1&relay=true")).toBe(true);
    expect(relayForced("?relay=0")).toBe(false);
    expect(relayForced("")).toBe(false);
  });
});
