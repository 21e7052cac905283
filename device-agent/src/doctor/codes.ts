// Why: the doctor's findings carry stable codes (like protocol/errors.ts and the agent's
// errors.ts) so a support desk, a script reading --json and the README table name the same
// condition. Never rename a code; add new ones.

export const DOCTOR_CODES = {
  ok: "The check passed.",
  no_network: "No network interface other than loopback is up with an IPv4 address.",
  no_default_route: "There is no default route: the camera can reach its own network only.",
  dns_failed: "The edge's host name does not resolve.",
  edge_unreachable: "Nothing answers at the edge's address (refused, timed out or no route).",
  edge_tls: "The TLS connection to the edge failed (certificate or proxy).",
  edge_unexpected: "Something answered at the edge's address, but not a Porthole edge.",
  websocket_blocked: "HTTPS works but WebSocket upgrades do not get through (usually a proxy).",
  clock_skew: "The camera's clock differs from the edge's.",
  token_expiring: "The device token expires soon.",
  token_expired: "The device token has expired.",
  token_wrong_serial: "The device token was issued for another serial.",
  token_unknown_key: "The device token is signed by a key the edge does not know (or no longer accepts).",
  token_superseded: "The camera was given a newer token; this one no longer works.",
  token_revoked: "The camera has been revoked by its vendor.",
  token_unknown_device: "The edge has no camera with this serial.",
  token_invalid: "The edge refuses the device token.",
  token_unchecked: "The edge could not be asked about the token.",
  stun_no_answer: "No STUN answer over UDP.",
  stun_not_offered: "The edge hands out no STUN server.",
  udp_blocked: "UDP to the TURN server gets no answer, but TURN over TCP works.",
  turn_auth_failed: "The TURN server refuses the credentials the edge minted (TURN_SECRET differs from coturn's).",
  turn_unreachable: "The TURN server does not answer on this transport.",
  turn_refused: "The TURN server refused the allocation.",
  turn_not_offered: "The edge hands out no TURN URL for this transport.",
  turn_not_configured: "The edge hands out no TURN servers at all.",
  nat_symmetric: "The camera's NAT is symmetric: viewers reach it through the relay, rarely directly.",
  nat_udp_blocked: "NAT discovery got no UDP answer.",
  nat_unknown: "The NAT type could not be fully determined.",
  hairpin_missing: "The router does not hairpin: a viewer on the camera's own network cannot use its public address.",
  not_available: "The check could not run here (the reason says why).",
  skipped: "Not run because an earlier check failed.",
} as const;

export type DoctorCode = keyof typeof DOCTOR_CODES;
