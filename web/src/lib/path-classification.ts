// Why: tells the viewer which network path the video takes (LAN, hole-punched P2P or TURN
// relay) from RTCPeerConnection.getStats(), kept pure so it is tested on stats fixtures.
// Stats dictionaries: W3C webrtc-stats §7 (RTCTransportStats, RTCIceCandidatePairStats,
// RTCIceCandidateStats); candidate types: RFC 8445 §5.1.1.
import type { PathKind } from "../../../protocol/viewer-edge.ts";

/** The subset of an RTCStats entry this module reads (every getStats() entry fits it). */
export interface StatLike {
  id: string;
  type: string;
  [key: string]: unknown;
}

export type { PathKind };

export const PATH_LABELS: Record<PathKind, string> = {
  lan: "LAN direct",
  p2p: "P2P (hole-punched)",
  relay: "Relay (TURN)",
};

export interface CandidateInfo {
  /** host | srflx | prflx | relay (RFC 8445 §5.1.1). */
  type: string;
  address: string | null;
  port: number | null;
  protocol: string | null;
  /** For relay candidates: udp | tcp | tls between the browser and the TURN server. */
  relayProtocol: string | null;
}

export interface PathInfo {
  kind: PathKind;
  label: string;
  pairId: string;
  local: CandidateInfo;
  remote: CandidateInfo;
  /** currentRoundTripTime of the selected pair, in ms (STUN consent checks, RFC 7675). */
  rttMs: number | null;
  /** The pair's `nominated` flag; null when the browser does not report one. */
  nominated: boolean | null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/**
 * The candidate pair carrying media: the transport's selectedCandidatePairId (Chromium,
 * Safari), else a pair flagged `selected` (Firefox), else a nominated succeeded pair.
 */
export function findSelectedPair(stats: Iterable<StatLike>): StatLike | null {
  const all = [...stats];
  const byId = new Map(all.map((s) => [s.id, s]));
  for (const s of all) {
    if (s.type !== "transport") continue;
    const id = str(s["selectedCandidatePairId"]);
    const pair = id ? byId.get(id) : undefined;
    if (pair) return pair;
  }
  const pairs = all.filter((s) => s.type === "candidate-pair");
  return (
    pairs.find((p) => p["selected"] === true) ??
    pairs.find((p) => p["nominated"] === true && p["state"] === "succeeded") ??
    null
  );
}

/**
 * 127.0.0.0/8 and ::1. A server-reflexive candidate on loopback only happens when the STUN/TURN
 * server runs on the same machine (the local stack's coturn): never a hole-punched path.
 */
export function isLoopback(address: string | null): boolean {
  if (!address) return false;
  const a = address.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/^::ffff:/, "");
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** True for loopback, RFC 1918, link-local, unique-local IPv6 and mDNS (.local) addresses. */
export function isPrivateAddress(address: string): boolean {
  const a = address.trim().toLowerCase().replace(/^\[|\]$/g, "");
  if (a.endsWith(".local")) return true; // RFC 8828 mDNS host candidate
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a.replace(/^::ffff:/, ""));
  if (v4) {
    const [o1, o2] = [Number(v4[1]), Number(v4[2])];
    return (
      o1 === 10 ||
      o1 === 127 ||
      (o1 === 172 && o2 >= 16 && o2 <= 31) ||
      (o1 === 192 && o2 === 168) ||
      (o1 === 169 && o2 === 254)
    );
  }
  if (a === "::1") return true;
  return /^f[cd][0-9a-f]{2}:/.test(a) || /^fe[89ab][0-9a-f]:/.test(a);
}

function candidateInfo(s: StatLike | undefined): CandidateInfo {
  return {
    type: str(s?.["candidateType"]) ?? "unknown",
    address: str(s?.["address"]) ?? str(s?.["ip"]),
    port: num(s?.["port"]),
    protocol: str(s?.["protocol"]),
    relayProtocol: str(s?.["relayProtocol"]),
  };
}

/**
 * Classifies a local/remote candidate pair. Any relay → relay. Both host → LAN. A peer-
 * reflexive side counts as LAN when every known address is private: Chromium never offers a
 * loopback host candidate, so a LAN pair to 127.0.0.1 shows up as prflx→host. With a STUN
 * server on the same machine it can show up as srflx on 127.0.0.1, which is LAN too.
 */
export function classifyCandidates(local: CandidateInfo, remote: CandidateInfo): PathKind {
  if (local.type === "relay" || remote.type === "relay") return "relay";
  if (local.type === "host" && remote.type === "host") return "lan";
  const localish = (c: CandidateInfo) =>
    (c.type === "host" || c.type === "prflx" || (c.type === "srflx" && isLoopback(c.address))) &&
    // A host candidate without a reported address is still on the machine's own interface.
    (c.address === null ? c.type === "host" : isPrivateAddress(c.address));
  if (localish(local) && localish(remote)) return "lan";
  return "p2p";
}

/** The path in use, or null while no pair has been selected yet (why: session-explanation.ts). */
export function classifyPath(stats: Iterable<StatLike>): PathInfo | null {
  const all = [...stats];
  const pair = findSelectedPair(all);
  if (!pair) return null;
  const byId = new Map(all.map((s) => [s.id, s]));
  const local = candidateInfo(byId.get(str(pair["localCandidateId"]) ?? ""));
  const remote = candidateInfo(byId.get(str(pair["remoteCandidateId"]) ?? ""));
  const kind = classifyCandidates(local, remote);
  const nominated = typeof pair["nominated"] === "boolean" ? pair["nominated"] : null;
  return { kind, label: PATH_LABELS[kind], pairId: pair.id, local, remote, rttMs: pairRttMs(pair), nominated };
}

/** How long a selected pair may stay un-nominated before it counts anyway (a browser that never sets the flag). */
export const NOMINATION_WAIT_MAX_MS = 4000;

/**
 * Whether `path` is the path the session settled on. The browser is the controlled ICE agent:
 * until the camera's nomination arrives it sends on a pair it picked itself (RFC 8445 §8.1.1,
 * §7.3.1.5), often a relayed one that answered first, and the camera's media then arrives on
 * the nominated pair. A path read in that window is not the session's (seen in the NAT lab at
 * 150 ms round trip: "relay" for a session that played P2P). `unsettledSince` is when the
 * current selected pair was first seen un-nominated.
 */
export function pathSettled(path: PathInfo | null, unsettledSince: number | null, now: number): boolean {
  if (!path) return false;
  if (path.nominated !== false) return true;
  return unsettledSince !== null && now - unsettledSince >= NOMINATION_WAIT_MAX_MS;
}

/** Round-trip time of a pair in ms: the current one, else the average so far. */
export function pairRttMs(pair: StatLike): number | null {
  const current = num(pair["currentRoundTripTime"]);
  if (current !== null) return Math.round(current * 1000);
  const total = num(pair["totalRoundTripTime"]);
  const responses = num(pair["responsesReceived"]);
  if (total !== null && responses) return Math.round((total / responses) * 1000);
  return null;
}
