// Why: issue 11's first acceptance point — the camera's detected NAT type must equal what its
// router is configured as. This says what discovery must answer for each router mode.
import type { NatType as DetectedNatType } from "../device-agent/src/nat/index.ts";
import type { RouterMode } from "./nat-types.ts";
import type { EgressPolicy } from "./nft-ruleset.ts";

export type { DetectedNatType };

/**
 * What discovery must report behind a router in `mode`: the RFC 3489 name of the RFC 4787
 * behaviour nft-ruleset.ts builds. A home that lets no UDP out is "UDP blocked" whatever its NAT.
 */
export function expectedNatType(mode: RouterMode, egress: EgressPolicy = "open"): DetectedNatType {
  if (egress !== "open") return "udp-blocked";
  const byMode: Record<RouterMode, DetectedNatType> = {
    "no-nat": "open-internet",
    "full-cone": "full-cone",
    "restricted-cone": "restricted-cone",
    "port-restricted": "port-restricted-cone",
    symmetric: "symmetric",
  };
  return byMode[mode];
}
