// Why: the camera's NAT type is shown to people by the agent's doctor and by the PWA's camera
// page; one people-facing copy of the RFC 3489 §5 names keeps both saying the same words.
import type { NatTypeName } from "./nat.ts";

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
