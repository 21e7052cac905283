// Why: issue 11 — the browser's own NAT verdict (the PWA's "Test my connection") must match the
// viewer router's configured type. A browser can compare mappings (cone vs symmetric, RFC 4787
// §4.1) and test whether its NAT drops packets from a port it never wrote to (APDF, §5), but
// cannot tell full cone from restricted cone when the relay shares the STUN server's address,
// so the lab checks exactly what a browser can know.
import type { NatSide } from "../protocol/index.ts";
import type { ViewerPlacement } from "./nat-types.ts";
import type { EgressPolicy } from "./nft-ruleset.ts";

export type ViewerVerdict = "cone" | "symmetric" | "udp-blocked" | "unknown";

/** What a browser should conclude about its network. */
export interface ExpectedViewerNat {
  verdict: ViewerVerdict;
  /** Whether its NAT drops packets from a port it never sent to (port-restricted, symmetric); null when UDP is blocked. */
  portFiltering: boolean | null;
}

/**
 * `cameraRouter`: the router in front of a same-LAN viewer is the camera's own (rA), set to the
 * pair's camera NAT.
 */
export function expectedViewerNat(viewer: ViewerPlacement, cameraRouter: ViewerPlacement, egress: EgressPolicy = "open"): ExpectedViewerNat {
  if (egress !== "open") return { verdict: "udp-blocked", portFiltering: null };
  const router = viewer === "same-lan" ? cameraRouter : viewer;
  return { verdict: router === "symmetric" ? "symmetric" : "cone", portFiltering: router === "port-restricted" || router === "symmetric" };
}

/** The browser's result in the same terms. */
export function viewerVerdictOf(side: NatSide): ExpectedViewerNat {
  if (side.udpBlocked) return { verdict: "udp-blocked", portFiltering: null };
  const verdict: ViewerVerdict =
    side.mapping === "unknown" ? "unknown" : side.mapping === "none" || side.mapping === "endpoint-independent" ? "cone" : "symmetric";
  return { verdict, portFiltering: side.filtering === "unknown" ? null : side.filtering === "address-and-port-dependent" };
}
