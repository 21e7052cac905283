// Why: the grid's verdict needs the path each pair *should* take. A symmetric NAT gives each
// destination a fresh port (APDM), so a peer can reach it only if its own NAT accepts a
// packet from an address/port it never sent to — which only the cone types with address-
// or endpoint-independent filtering do (RFC 4787 §4.1, §5; RFC 8445 §2.1). Port-restricted
// cone (APDF) and symmetric both filter per address and port, so those pairs need TURN.
import type { NatType, PathKind, ViewerPlacement } from "./nat-types.ts";
import type { EgressPolicy } from "./nft-ruleset.ts";

const PORT_FILTERING: readonly NatType[] = ["port-restricted", "symmetric"];

/**
 * The path a pair must take: same LAN → lan; unpunchable, or either home blocks UDP (no-udp,
 * tcp-443: only TURN over TCP or TLS gets out) → relay; otherwise p2p.
 */
export function expectedPath(camera: NatType, viewer: ViewerPlacement, cameraEgress: EgressPolicy = "open", viewerEgress: EgressPolicy = "open"): PathKind {
  if (viewer === "same-lan") return "lan";
  if (cameraEgress !== "open" || viewerEgress !== "open") return "relay";
  const unpunchable =
    (camera === "symmetric" && PORT_FILTERING.includes(viewer)) || (viewer === "symmetric" && PORT_FILTERING.includes(camera));
  return unpunchable ? "relay" : "p2p";
}
