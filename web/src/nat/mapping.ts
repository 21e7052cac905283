// Why: cone or symmetric is decided by whether the NAT keeps one public mapping for one local
// socket whatever the destination (RFC 4787 §4.1). RFC 5780 §4.3 tests it by asking servers on
// another IP and another port and comparing the mapped addresses. A browser cannot send STUN
// itself, but one RTCPeerConnection sends from one socket to every STUN server it is given and
// turns each answer into a srflx candidate — and drops a srflx equal to one it already has
// (libwebrtc UDPPort), so "fewer distinct mappings than answering servers" means "the same".
import type { StunProbeRole } from "../../../protocol/connection-test.ts";
import type { MAPPING_BEHAVIORS } from "../../../protocol/nat.ts";

export type MappingBehavior = (typeof MAPPING_BEHAVIORS)[number];

export interface ProbeOutcome {
  role: StunProbeRole;
  /** For alt-port: the probe whose IP it shares. */
  sameAddressAs?: "primary" | "alt-address";
  /** The server answered (a srflx came from it in a PC of its own). */
  answered: boolean;
  /** The mapping it reported in the shared-socket PC (`addr:port`), null when none was attributed to it. */
  mapped: string | null;
}

/** Which part of the RFC 5780 mapping test could be run. */
export type MappingCoverage = "full" | "address-only" | "port-only" | "single-server" | "none";

export interface MappingResult {
  mapping: MappingBehavior;
  coverage: MappingCoverage;
}

export interface MappingInput {
  probes: ProbeOutcome[];
  /** Distinct srflx mappings from the shared-socket PC (one local socket, every server). */
  mappings: string[];
  /** Evidence of no translation at all: the mapped address is one of this host's own addresses. */
  noTranslation: boolean;
}

export function classifyMapping(input: MappingInput): MappingResult {
  const by = (role: StunProbeRole) => input.probes.find((p) => p.role === role && p.answered);
  const primary = by("primary");
  const alt = by("alt-address");
  const port = by("alt-port");
  const coverage: MappingCoverage = !primary ? "none" : alt && port ? "full" : alt ? "address-only" : port ? "port-only" : "single-server";
  if (!primary) return { mapping: "unknown", coverage };
  if (input.noTranslation) return { mapping: "none", coverage };
  if (!alt && !port) return { mapping: "unknown", coverage };
  const distinct = new Set(input.mappings).size;
  if (distinct === 0) return { mapping: "unknown", coverage };
  if (distinct === 1) return { mapping: "endpoint-independent", coverage };
  // The mapping changed with the destination: RFC 3489's symmetric NAT. Tell the finer kind
  // apart only where the attribution says it (test III: another port on one address).
  if (distinct >= 3) return { mapping: "address-and-port-dependent", coverage };
  if (port) {
    const partner = by(port.sameAddressAs ?? "primary");
    if (port.mapped && partner?.mapped) return { mapping: port.mapped === partner.mapped ? "address-dependent" : "address-and-port-dependent", coverage };
    // The alt-port answer was dropped as a duplicate: it equals a mapping already seen, and a
    // NAT that maps per port would have given it a new one.
    if (!port.mapped && partner?.mapped) return { mapping: "address-dependent", coverage };
    return { mapping: "endpoint-dependent", coverage };
  }
  // Only another address was asked: it changed, but whether the port matters was not tested.
  return { mapping: "endpoint-dependent", coverage };
}
