// Why: "why was this session relayed, or why did it fail" is answered from both sides' NAT
// behaviour (predictPath, protocol/path-prediction.ts: RFC 4787 mapping and filtering) and the
// stage the session reached — the same verdict the connection test and the NAT lab use — not
// from a guess at one side's candidate stats. When a side is unknown it says what is known;
// when the prediction and the real path disagree it says so. One pure function for the live
// page and the owner's session history, so both say the same words.
import type { NatTypeName } from "../../../protocol/nat.ts";
import { predictPath, type NatSide, type PathPrediction, type PredictionReason } from "../../../protocol/path-prediction.ts";
import type { RelayTransport, ReportStage, SessionOutcome } from "../../../protocol/session-report.ts";
import type { PathKind } from "../../../protocol/viewer-edge.ts";
import { RELAY_REASONS } from "./relay-reason.ts";

export interface SessionFacts {
  outcome: SessionOutcome;
  stage: ReportStage;
  cause: string | null;
  path: PathKind | null;
  firstPath: PathKind | null;
  relayTransport: RelayTransport | null;
  forcedRelay: boolean;
  cameraNatType: NatTypeName | null;
  viewerNatType: NatTypeName | null;
  prediction: PathPrediction;
}

export interface Explanation {
  /** One paragraph in plain words. */
  text: string;
  /** The prediction disagreed with the path actually taken. */
  mismatch: boolean;
  /** The viewer's NAT is unknown: the page offers "Test my connection". */
  offerConnectionTest: boolean;
}

/** How each NAT type behaves, in the words the explanations use. */
const NAT_WORDS: Record<NatTypeName, string> = {
  "open-internet": "has a public address (no NAT)",
  "no-nat": "has a public address (no NAT)",
  "symmetric-udp-firewall": "has a public address behind a firewall",
  "full-cone": "is a full-cone NAT (accepts replies from anyone once it has sent)",
  "restricted-cone": "is a restricted-cone NAT (accepts replies from any port of an address it wrote to)",
  "port-restricted-cone": "is a port-restricted NAT (accepts replies only from the exact address and port it wrote to)",
  cone: "is a cone NAT (one public port for every destination)",
  symmetric: "is a symmetric NAT (a new public port for every destination)",
  "udp-blocked": "blocks UDP",
  unknown: "could not be measured",
};

/** Why a relay was needed, and what would give a direct connection. */
const RELAY_BECAUSE: Partial<Record<PredictionReason, { because: string; fix: string }>> = {
  "camera-udp-blocked": {
    because: "the camera's network blocks UDP, so only the relay over TCP/TLS reaches it",
    fix: "allow outgoing UDP (3478 and 49152–65535) on the camera's router or firewall.",
  },
  "viewer-udp-blocked": {
    because: "your network blocks UDP",
    fix: "watch from another network (e.g. mobile data), or ask its administrator to allow UDP.",
  },
  "camera-symmetric-viewer-port-filtering": {
    because: "the camera's router is a symmetric NAT and your network only accepts replies from the exact port it wrote to (port-restricted)",
    fix: 'enable UPnP/NAT-PMP or a "full cone" (endpoint-independent) NAT option on the camera\'s router, or watch from a less strict network.',
  },
  "viewer-symmetric-camera-port-filtering": {
    because: "your network is a symmetric NAT (common on mobile data and office networks) and the camera's router only accepts replies from the exact port it wrote to (port-restricted)",
    fix: 'enable UPnP/NAT-PMP or a "full cone" NAT option on the camera\'s router, or watch from another network.',
  },
  "both-symmetric": {
    because: "both the camera's router and your network are symmetric NATs, and two per-destination mappings never meet",
    fix: 'enable UPnP/NAT-PMP or a "full cone" NAT option on the camera\'s router.',
  },
};

const STAGE_WORDS: Record<ReportStage, string> = { signaling: "signaling", ice: "ICE", dtls: "DTLS", "first-frame": "first-frame", live: "live" };

const FAILURE_HINTS: Record<ReportStage, string> = {
  signaling: "the camera or the edge did not finish setting up the session — check that the camera is online, then try again.",
  ice: "neither a direct path nor a relay answered — your network may block UDP and TCP 443, or the camera's network may.",
  dtls: "a path was found but the encrypted handshake (DTLS) did not complete — a firewall may let only the first packets through.",
  "first-frame": "the connection opened but no video arrived — the camera may not be sending.",
  live: "the network changed or dropped and the session could not recover.",
};

const PATH_WORDS: Record<PathKind, string> = { lan: "LAN", p2p: "P2P", relay: "relay" };

/** What is known of each side when the prediction could not be made. */
function knownSides(f: SessionFacts): string {
  const parts: string[] = [];
  parts.push(f.cameraNatType ? `The camera's router ${NAT_WORDS[f.cameraNatType]}.` : "The camera has not reported its NAT type yet (it measures it at start and every few hours).");
  parts.push(f.viewerNatType ? `Your network ${NAT_WORDS[f.viewerNatType]}.` : "Your network's NAT type is not known on this device: run Test my connection to measure it.");
  return parts.join(" ");
}

function bothSides(f: SessionFacts): string {
  return `The camera's router ${NAT_WORDS[f.cameraNatType ?? "unknown"]} and your network ${NAT_WORDS[f.viewerNatType ?? "unknown"]}`;
}

function relayText(f: SessionFacts): { text: string; mismatch: boolean } {
  if (f.forcedRelay) return { text: RELAY_REASONS.forced, mismatch: false };
  const p = f.prediction;
  const why = RELAY_BECAUSE[p.reason];
  if (why) return { text: `Relayed because ${why.because}. To get a direct connection: ${why.fix}`, mismatch: false };
  if (p.path === "p2p") {
    return {
      text: `Relayed, although both NAT types predicted a direct path: ${bothSides(f)}. Something the NAT test cannot see was in the way — a firewall that drops unsolicited UDP, or a NAT that changed since it was measured.`,
      mismatch: true,
    };
  }
  return { text: `Relayed: the path could not be predicted. ${knownSides(f)}`, mismatch: false };
}

function directText(f: SessionFacts): { text: string; mismatch: boolean } {
  if (f.path === "lan") return { text: "Direct over your local network: the camera and this device are on the same network.", mismatch: false };
  const p = f.prediction;
  if (p.path === "relay") {
    return {
      text: `Direct (peer-to-peer), although both NAT types predicted a relay (${RELAY_BECAUSE[p.reason]?.because ?? p.reason}). One side is more open than it measured — UPnP on a router, or a NAT that changed since.`,
      mismatch: true,
    };
  }
  if (p.reason === "punchable") return { text: `Direct (peer-to-peer): ${bothSides(f)} — at least one side keeps one public port for every destination, so the hole punch works.`, mismatch: false };
  return { text: `Direct (peer-to-peer). ${knownSides(f)}`, mismatch: false };
}

function failureText(f: SessionFacts): string {
  const cause = f.cause ? ` (${f.cause})` : "";
  const head = f.stage === "live" ? `The connection was lost after the video started${cause}: ` : `Failed at the ${STAGE_WORDS[f.stage]} stage${cause}: `;
  let text = head + FAILURE_HINTS[f.stage];
  // Only a failure to find or keep a path is about the two NATs.
  if ((f.stage === "ice" || f.stage === "dtls") && f.forcedRelay) {
    text += " Only the relay was tried (?relay=1), and it did not answer.";
  } else if (f.stage === "ice" || f.stage === "dtls") {
    const why = RELAY_BECAUSE[f.prediction.reason];
    if (why) text += ` Both sides' NATs explain why no direct path opened: ${why.because}; so only the relay could connect you, and it did not answer either.`;
    else if (f.prediction.path === "p2p") text += ` ${bothSides(f)}, so a direct path should have opened: something else blocked it (a firewall, or a NAT that changed since it was measured).`;
    else if (f.prediction.path === "unknown") text += ` ${knownSides(f)}`;
  }
  return text;
}

/** The one-paragraph explanation of a session (live or finished). */
export function explainSession(f: SessionFacts): Explanation {
  let text: string;
  let mismatch = false;
  if (f.outcome === "failed") text = failureText(f);
  else if (f.outcome === "abandoned") text = `Left during the ${STAGE_WORDS[f.stage]} stage, before the video started.`;
  else if (f.path === "relay") ({ text, mismatch } = relayText(f));
  else if (f.path) ({ text, mismatch } = directText(f));
  else text = "The video played; its path was not measured.";
  if (f.path === "relay" && f.relayTransport && f.relayTransport !== "udp" && !f.forcedRelay) {
    text += ` The relay itself was reached over ${f.relayTransport.toUpperCase()}: UDP is blocked on this network.`;
  }
  if (f.firstPath && f.path && f.firstPath !== f.path) text += ` The path changed during the session (${PATH_WORDS[f.firstPath]} → ${PATH_WORDS[f.path]}).`;
  const offerConnectionTest = f.viewerNatType === null && f.outcome !== "abandoned" && !(f.outcome === "ok" && f.path === "lan");
  return { text, mismatch, offerConnectionTest };
}

/** Both sides' NAT → the prediction, as the edge computes it for a stored report (worker/src/reports/report-row.ts). */
export function predictionFor(camera: NatSide | null, viewer: NatSide | null, path: PathKind | null): PathPrediction {
  return predictPath(camera, viewer, { sameNetwork: path === "lan" });
}
