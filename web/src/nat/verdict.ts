// Why: people read the connection test's result as one sentence about their network and one
// about the camera they chose; support reads the RFC names. Both come from the same measured
// behaviours here, so the page, the copied report and the lab's DOM hooks agree.
import type { NatSide, PathPrediction, PredictedPath } from "../../../protocol/path-prediction.ts";
import type { NatTypeName } from "../../../protocol/nat.ts";
import { classifyNat } from "../../../protocol/nat-labels.ts";
import type { RelayProbeTransport } from "../../../protocol/connection-test.ts";

/** RFC 3489 §5's class from RFC 4787 behaviours: the agent's own table, so a browser and a camera behind one router get one name. */
export const natTypeOf = (side: NatSide): NatTypeName => classifyNat(side);

export interface RelayOutcome {
  transport: RelayProbeTransport;
  ok: boolean;
}

/** The headline about this browser's network, in plain words. */
export function networkVerdict(side: NatSide, relays: readonly RelayOutcome[]): string {
  const relayOk = relays.filter((r) => r.ok).map((r) => r.transport.toUpperCase());
  if (side.udpBlocked) {
    return relayOk.length > 0
      ? `UDP is blocked on your network — video will go through the relay over ${relayOk.join("/")}; expect more delay.`
      : "UDP is blocked on your network and no relay could be reached — live video will not work from here.";
  }
  switch (natTypeOf(side)) {
    case "open-internet":
      return "Your network: no NAT and no filtering — cameras can reach you directly.";
    case "no-nat":
    case "symmetric-udp-firewall":
      return "Your network: no NAT, behind a firewall — most cameras can reach you directly.";
    case "full-cone":
      return "Your network: cone NAT that accepts replies from any address — cameras can reach you directly.";
    case "restricted-cone":
      return "Your network: cone NAT that accepts replies from any port of an address you contacted — cameras can reach you directly.";
    case "port-restricted-cone":
      return "Your network: cone NAT that accepts replies only from the exact address and port it sent to — most cameras reach you directly; a camera behind a symmetric NAT will be relayed.";
    case "cone":
      return "Your network: cone NAT (its filtering could not be tested) — most cameras can reach you directly.";
    case "symmetric":
      return "Your network: symmetric NAT — some cameras will be relayed.";
    default:
      return "Your network's NAT type could not be measured.";
  }
}

export const PATH_LABELS: Record<PredictedPath, string> = {
  lan: "Direct, over your local network",
  p2p: "Direct (peer-to-peer)",
  relay: "Through the relay",
  unknown: "Cannot be predicted",
};

/** What to change (or nothing) for a predicted path, in plain words. */
export function predictionAdvice(p: PathPrediction, relays: readonly RelayOutcome[]): string {
  const anyRelay = relays.some((r) => r.ok);
  const relayNote = anyRelay ? "" : " No relay answered this test either, so the session would likely fail: check that your network allows TURN (UDP/TCP 3478, TLS 443).";
  switch (p.reason) {
    case "same-network":
      return "You are on the camera's network: video goes directly over the local network.";
    case "punchable":
      return "A direct peer-to-peer path should open; nothing to change.";
    case "camera-udp-blocked":
      return `The camera's network blocks UDP: video will be relayed over TCP/TLS. Allow outgoing UDP (3478 and 49152–65535) on the camera's router or firewall.${relayNote}`;
    case "viewer-udp-blocked":
      return `Your network blocks UDP: video will be relayed. Try another network (e.g. mobile data) or ask its administrator to allow UDP 3478.${relayNote}`;
    case "camera-symmetric-viewer-port-filtering":
      return `The camera's router is a symmetric NAT and your network only accepts replies from the exact port it sent to, so video will be relayed. Enable UPnP/NAT-PMP or a "full cone" / endpoint-independent NAT option on the camera's router, or watch from a less strict network.${relayNote}`;
    case "viewer-symmetric-camera-port-filtering":
      return `Your network is a symmetric NAT (common on mobile data and office networks) and the camera's router only accepts replies from the exact port it sent to, so video will be relayed. Enable UPnP/NAT-PMP or a "full cone" NAT option on the camera's router, or watch from another network.${relayNote}`;
    case "both-symmetric":
      return `Both the camera's router and your network are symmetric NATs, so video will be relayed. Enable UPnP/NAT-PMP or a "full cone" NAT option on the camera's router.${relayNote}`;
    case "camera-unknown":
      return "The camera has not reported its NAT type yet (it measures it at start and every few hours). Run `porthole-agent doctor` on the camera to see it now.";
    case "viewer-unknown":
      return "Your network's NAT could not be fully measured (see the details above), so the path cannot be predicted.";
  }
}
