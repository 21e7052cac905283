// Why: the camera's NAT type is shown to people by the agent's doctor and by the PWA's camera
// page, and the browser's by the connection test; one copy of the RFC 3489 §5 names — and of the
// table that derives them from the RFC 4787 behaviours — keeps a camera and a browser behind one
// router saying the same words.
import type { FILTERING_BEHAVIORS, MAPPING_BEHAVIORS, NatTypeName } from "./nat.ts";

/** What a NAT test measured: RFC 4787 §4.1 mapping and §5 filtering (as RFC 5780 tests them). */
export interface NatBehavior {
  /** No Binding response at all from the primary server address (RFC 5780 §4.2 test I). */
  udpBlocked: boolean;
  mapping: (typeof MAPPING_BEHAVIORS)[number];
  filtering: (typeof FILTERING_BEHAVIORS)[number];
}

/** RFC 3489's class from the RFC 5780 behaviours. */
export function classifyNat(b: NatBehavior): NatTypeName {
  if (b.udpBlocked) return "udp-blocked";
  switch (b.mapping) {
    case "none":
      // RFC 3489 §10.1: no translation; open internet only if unsolicited packets from
      // another address and port reach the host, a "symmetric UDP firewall" otherwise.
      if (b.filtering === "unknown") return "no-nat";
      return b.filtering === "endpoint-independent" ? "open-internet" : "symmetric-udp-firewall";
    case "endpoint-independent":
      // RFC 3489's cone types differ only in filtering (RFC 4787 §5 names).
      if (b.filtering === "endpoint-independent") return "full-cone";
      if (b.filtering === "address-dependent") return "restricted-cone";
      if (b.filtering === "address-and-port-dependent") return "port-restricted-cone";
      return "cone";
    case "address-dependent":
    case "address-and-port-dependent":
    case "endpoint-dependent":
      // RFC 3489's symmetric NAT: a new mapping per destination, whatever it filters.
      return "symmetric";
    case "unknown":
      return "unknown";
  }
}

export const NAT_TYPE_LABELS: Record<NatTypeName, string> = {
  "open-internet": "Open internet (no NAT)",
  "full-cone": "Full cone NAT",
  "restricted-cone": "Restricted cone NAT",
  "port-restricted-cone": "Port-restricted cone NAT",
  symmetric: "Symmetric NAT",
  "symmetric-udp-firewall": "No NAT, behind a UDP firewall",
  cone: "Cone NAT (filtering not tested)",
  "no-nat": "No NAT (filtering not tested)",
  "udp-blocked": "UDP blocked",
  unknown: "Unknown",
};
