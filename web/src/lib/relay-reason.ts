// Why: when the video goes through a TURN relay the user deserves to know why, in plain words,
// because it costs latency and usually means a NAT or firewall problem on one side. The
// answer comes from the same getStats() report as the path (W3C webrtc-stats §7): which
// candidate types each side gathered, and how the direct (non-relay) pairs fared.
import type { StatLike } from "./path-classification.ts";

export const RELAY_REASONS = {
  forced: "Relayed on purpose: this page was opened with ?relay=1 (diagnostics), so only relay candidates were used.",
  directFailed:
    "Relayed: a direct path could not be opened — one side is likely behind a strict (symmetric) NAT or a firewall blocks UDP between you and the camera.",
  noDirectCandidates:
    "Relayed: neither side could learn a public address (STUN did not answer) — UDP is likely blocked on one of the networks.",
  relayOverTcp: "Relayed over TCP/TLS: UDP is blocked on this network, so even the relay had to use TCP.",
  stillChecking: "Relayed for now: the direct checks had not succeeded when the relay connected.",
} as const;

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * Why the selected pair is a relay, or null if it is not. `forced` is the ?relay=1 switch
 * (iceTransportPolicy "relay"), which wins over anything the stats say.
 */
export function relayReason(stats: Iterable<StatLike>, selectedPairId: string, forced: boolean): string | null {
  const all = [...stats];
  const byId = new Map(all.map((s) => [s.id, s]));
  const typeOf = (id: unknown) => str(byId.get(str(id) ?? "")?.["candidateType"]);
  const selected = byId.get(selectedPairId);
  if (!selected) return null;
  const selLocal = byId.get(str(selected["localCandidateId"]) ?? "");
  if (typeOf(selected["localCandidateId"]) !== "relay" && typeOf(selected["remoteCandidateId"]) !== "relay") return null;
  if (forced) return RELAY_REASONS.forced;
  // Our own relay candidate reached the TURN server over TCP or TLS: UDP is blocked here.
  const relayProtocol = str(selLocal?.["relayProtocol"]);
  if (relayProtocol === "tcp" || relayProtocol === "tls") return RELAY_REASONS.relayOverTcp;

  const direct = all.filter(
    (s) => s.type === "candidate-pair" && typeOf(s["localCandidateId"]) !== "relay" && typeOf(s["remoteCandidateId"]) !== "relay",
  );
  const srflx = all.some((s) => (s.type === "local-candidate" || s.type === "remote-candidate") && s["candidateType"] === "srflx");
  if (direct.length > 0 && direct.every((p) => p["state"] === "failed")) return RELAY_REASONS.directFailed;
  if (direct.some((p) => p["state"] === "in-progress" || p["state"] === "waiting" || p["state"] === "frozen")) {
    // Checks sent but never answered is what a symmetric NAT or blocked UDP looks like too.
    const answered = direct.some((p) => Number(p["responsesReceived"] ?? 0) > 0);
    return answered ? RELAY_REASONS.stillChecking : RELAY_REASONS.directFailed;
  }
  if (!srflx) return RELAY_REASONS.noDirectCandidates;
  return RELAY_REASONS.directFailed;
}

/** The diagnostics switch: `?relay=1` (or `relay=true`) forces iceTransportPolicy "relay". */
export function relayForced(search: string): boolean {
  const v = new URLSearchParams(search.replace(/^\?/, "")).get("relay");
  return v === "1" || v === "true";
}
