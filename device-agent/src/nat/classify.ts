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

/** The table itself is shared with the PWA's connection test (protocol/nat-labels.ts). */
export { classifyNat, type NatBehavior } from "../../../protocol/nat-labels.ts";
