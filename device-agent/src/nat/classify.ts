// Why: the raw RFC 5780 behaviours (mapping, filtering) are what decide whether a hole can be
// punched, but people and the PWA speak the RFC 3489 names. This is the one pure mapping from
// the first to the second, shared by the agent, `porthole-agent doctor` and the lab. The names
// are wire values too (protocol/nat.ts): the agent reports them to the edge.
import type { FILTERING_BEHAVIORS, MAPPING_BEHAVIORS, NatTypeName } from "../../../protocol/nat.ts";

/**
 * How the NAT maps an internal endpoint (RFC 4787 §4.1, tested as in RFC 5780 §4.3).
 * - `none`: the mapped address is the host's own — no NAT on the path.
 * - `endpoint-dependent`: the mapping changed for another server, but the finer kind was not
 *   tested (no RFC 5780 server; the fallback compared two servers).
 * - `unknown`: the server offered no alternate address and no second server was given.
 */
export type MappingBehavior = (typeof MAPPING_BEHAVIORS)[number];

/** Which inbound packets the NAT (or firewall) lets through to a mapping (RFC 4787 §5, RFC 5780 §4.4). */
export type FilteringBehavior = (typeof FILTERING_BEHAVIORS)[number];

/**
 * The RFC 3489 §5 classes, as the UI names them. Two partial verdicts exist for servers that
 * cannot test filtering (no RFC 5780 alternate address): `cone` (endpoint-independent mapping,
 * filtering untested) and `no-nat` (no translation, filtering untested). `unknown` means the
 * tests disagreed with themselves or could not run (see `NatReport.error`).
 */
export type NatType = NatTypeName;

/** People-facing names; the one copy lives in protocol/ so the PWA shows the same words. */
export { NAT_TYPE_LABELS } from "../../../protocol/nat-labels.ts";

export interface NatBehavior {
  /** No Binding response at all from the primary server address (RFC 5780 §4.2 test I). */
  udpBlocked: boolean;
  mapping: MappingBehavior;
  filtering: FilteringBehavior;
}

/** RFC 3489's class from the RFC 5780 behaviours. */
export function classifyNat(b: NatBehavior): NatType {
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
