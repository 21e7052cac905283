// Why: the camera's NAT behaviour (RFC 5780 discovery on the agent, device-agent/src/nat/) is
// reported to the edge and shown to owners and the connection test, so its names are part of
// the protocol: RFC 3489 classes for people, RFC 4787/5780 behaviours for path prediction.
import { z } from "zod";

/** RFC 3489 §5 classes, plus partial verdicts when filtering could not be tested (`cone`, `no-nat`). */
export const NAT_TYPE_NAMES = [
  "open-internet",
  "full-cone",
  "restricted-cone",
  "port-restricted-cone",
  "symmetric",
  "symmetric-udp-firewall",
  "cone",
  "no-nat",
  "udp-blocked",
  "unknown",
] as const;
export type NatTypeName = (typeof NAT_TYPE_NAMES)[number];

/** RFC 4787 §4.1 mapping behaviour as RFC 5780 §4.3 tests it (`none`: no translation). */
export const MAPPING_BEHAVIORS = ["none", "endpoint-independent", "address-dependent", "address-and-port-dependent", "endpoint-dependent", "unknown"] as const;
/** RFC 4787 §5 filtering behaviour as RFC 5780 §4.4 tests it. */
export const FILTERING_BEHAVIORS = ["endpoint-independent", "address-dependent", "address-and-port-dependent", "unknown"] as const;

/** What the camera found about its network, as it reports it (no addresses: the edge needs none). */
export const NatStatusSchema = z.object({
  natType: z.enum(NAT_TYPE_NAMES),
  mapping: z.enum(MAPPING_BEHAVIORS),
  filtering: z.enum(FILTERING_BEHAVIORS),
  hairpinning: z.boolean().nullable(),
  udpBlocked: z.boolean(),
  /** Whether the STUN server could run the full RFC 5780 test set. */
  rfc5780: z.boolean(),
  /** When the discovery ran (Unix ms, the camera's clock). */
  at: z.number().int().nonnegative(),
});
export type NatStatus = z.infer<typeof NatStatusSchema>;
