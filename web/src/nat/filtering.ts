// Why: whether a symmetric camera can reach this browser depends on the browser's NAT filtering
// (RFC 4787 §5). The page tests it with two of its own peer connections: A only talks to one STUN
// server; B, relay-only, is given A's public candidate but A never learns B's, so A's NAT sees
// B's checks arrive from the relay's address and port, which A never sent to. If they get
// through, the NAT does not filter on that port (and, when the relay's IP is another server's
// than the one A talked to, not on the address either).

import type { FILTERING_BEHAVIORS } from "../../../protocol/nat.ts";

export type FilteringBehavior = (typeof FILTERING_BEHAVIORS)[number];

export interface FilteringTrial {
  /** Host of the only STUN server A talked to (as in its URL). */
  contactedHost: string;
  /** B's checks reached A before the timeout; null when the trial could not run (no relay, no srflx). */
  reached: boolean | null;
}

export interface FilteringInput {
  /** B's relay address (the source of its checks as A's NAT sees it). */
  relayAddress: string | null;
  /** A talked to the alternate address only. */
  viaAltAddress: FilteringTrial | null;
  /** A talked to the primary STUN server only (normally the relay's own address). */
  viaPrimary: FilteringTrial | null;
}

export interface FilteringResult {
  filtering: FilteringBehavior;
  /** The test could not tell endpoint-independent from address-dependent (no second address). */
  lowerBound: boolean;
}

const isLiteral = (h: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.startsWith("[");
const bare = (h: string) => h.replace(/^\[|\]$/g, "");

/**
 * Whether the relay's address is another IP than `host`: known for IP literals; for a name, the
 * relay is taken to be on the primary server (one coturn per region, turn/DEPLOY.md) and the
 * alternate address to be another.
 */
function otherIp(relay: string, host: string, assumeForName: boolean): boolean {
  return isLiteral(host) ? bare(host) !== relay : assumeForName;
}

export function classifyFiltering(input: FilteringInput): FilteringResult {
  const { relayAddress: relay, viaAltAddress: alt, viaPrimary: primary } = input;
  if (!relay) return { filtering: "unknown", lowerBound: false };
  // Reached from an address A never sent to: endpoint-independent filtering (full cone).
  if (alt?.reached && otherIp(relay, alt.contactedHost, true)) return { filtering: "endpoint-independent", lowerBound: false };
  if (primary?.reached || alt?.reached) {
    const trial = primary?.reached ? primary : alt!;
    if (otherIp(relay, trial.contactedHost, false)) return { filtering: "endpoint-independent", lowerBound: false };
    // Same IP, another port got through: not port-dependent. Without a second address the
    // test cannot show it is not address-dependent either (RFC 5780 §4.4 test II).
    return { filtering: "address-dependent", lowerBound: !alt || alt.reached === null };
  }
  if (primary?.reached === false && !otherIp(relay, primary.contactedHost, false)) return { filtering: "address-and-port-dependent", lowerBound: false };
  return { filtering: "unknown", lowerBound: false };
}
