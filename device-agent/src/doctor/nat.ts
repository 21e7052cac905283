// Why: the NAT type predicts whether viewers can connect directly (the seed: "the premise of NAT
// penetration is to determine the type of NAT"), and hairpinning whether a viewer on the
// camera's own network can use its public address. Discovery itself lives in ../nat/ (RFC 5780);
// the doctor only runs it and explains the result, so it takes the discovery as a function.
import { check, type CheckResult } from "./types.ts";

/** The part of ../nat's NatReport the doctor explains. */
export interface NatSummary {
  natType: string;
  label: string;
  mapping: string;
  filtering: string;
  hairpinning: boolean | null;
  mappedAddress?: string;
  rfc5780: boolean;
  error?: string;
}

export type NatOutcome = { ok: true; summary: NatSummary } | { ok: false; reason: string };

const CONE = new Set(["open-internet", "full-cone", "restricted-cone", "port-restricted-cone", "cone", "no-nat"]);

export function evaluateNat(o: NatOutcome): CheckResult[] {
  if (!o.ok) {
    return [
      check("nat_type", "skip", "not_available", `Not available: ${o.reason}`),
      check("hairpinning", "skip", "not_available", `Not available: ${o.reason}`),
    ];
  }
  const s = o.summary;
  const details = { natType: s.natType, mapping: s.mapping, filtering: s.filtering, rfc5780: s.rfc5780, ...(s.mappedAddress ? { mappedAddress: s.mappedAddress } : {}) };
  let nat: CheckResult;
  if (s.natType === "udp-blocked") {
    nat = check("nat_type", "warn", "nat_udp_blocked", "UDP blocked: the STUN server never answered, so the NAT type is unknown and viewers can only connect through the relay.", "Allow outgoing UDP from the camera.", details);
  } else if (s.natType === "symmetric" || s.natType === "symmetric-udp-firewall") {
    nat = check("nat_type", "warn", "nat_symmetric", `${s.label}: viewers behind strict NATs reach the camera through the relay, not directly.`,
      "If the router allows it, turn on UPnP/NAT-PMP or a \"full cone\"/\"endpoint-independent\" NAT mode for the camera, or give it a port forward.", details);
  } else if (CONE.has(s.natType)) {
    nat = check("nat_type", "pass", "ok", `${s.label}: most viewers can connect directly.`, undefined, details);
  } else {
    nat = check("nat_type", "warn", "nat_unknown", `The NAT type could not be determined${s.error ? ` (${s.error})` : ""}.`, undefined, details);
  }
  const noNat = s.natType === "open-internet" || s.natType === "no-nat" || s.natType === "symmetric-udp-firewall";
  const hairpin =
    s.hairpinning === null
      ? check("hairpinning", "skip", "not_available", `Not tested: ${s.natType === "udp-blocked" ? "UDP is blocked, so nothing can be sent to the camera's public address" : noNat ? "there is no NAT in front of the camera, so nothing to hairpin" : s.rfc5780 ? "no public address to test with" : "the STUN server has no second address (RFC 5780)"}.`)
      : s.hairpinning
        ? check("hairpinning", "pass", "ok", "The router hairpins: a packet to the camera's public address from inside came back.")
        : check("hairpinning", "warn", "hairpin_missing", "The router does not hairpin: a viewer on the camera's own network must use its local address (ICE does that on its own) or the relay.", undefined);
  return [nat, hairpin];
}
