// Why: one list of the NAT behaviours the lab can give a home router (RFC 4787 terms), shared by
// the ruleset generator, the expected-path table and the grid.

/** The four classic NAT types, by mapping and filtering behaviour (RFC 4787 §4.1, §5). */
export const NAT_TYPES = ["full-cone", "restricted-cone", "port-restricted", "symmetric"] as const;
export type NatType = (typeof NAT_TYPES)[number];

/**
 * What a router can be set to: one of the NAT types, or "no-nat", a plain router whose LAN
 * addresses are routed on "the internet" as they are, with no firewall — the open-internet case
 * NAT discovery must recognise (issue 11). Only the discovery test uses it; the grid does not.
 */
export type RouterMode = NatType | "no-nat";

/** The viewer side of a pair can also sit in the camera's own LAN (no NAT between them). */
export type ViewerPlacement = NatType | "same-lan";

export type PathKind = "lan" | "p2p" | "relay";

/** Short names for tables and logs. */
export const NAT_SHORT: Record<ViewerPlacement, string> = {
  "full-cone": "fc",
  "restricted-cone": "rc",
  "port-restricted": "prc",
  symmetric: "sym",
  "same-lan": "lan",
};

export function isNatType(value: string): value is NatType {
  return (NAT_TYPES as readonly string[]).includes(value);
}
