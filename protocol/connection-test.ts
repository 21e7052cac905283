// Why: the PWA's "Test my connection" page asks the edge for what only the edge knows — short-
// lived TURN credentials, which STUN addresses to compare (a browser cannot read RFC 5780's
// OTHER-ADDRESS, so the edge names the second address), the chosen camera's last NAT report
// and whether the camera shares this browser's public address — in one signed-in call.
import { z } from "zod";
import { SerialSchema } from "./ice.ts";
import { NatStatusSchema } from "./nat.ts";

/** POST, signed in (session cookie), JSON body ConnectionTestRequest. */
export const CONNECTION_TEST_PATH = "/api/connection-test";

/** GET, WebSocket upgrade: one `probe` message with the edge's time, then close 1000. No auth, no state. */
export const WS_PROBE_PATH = "/ws/probe";

/** Lifetime of the test's TURN credentials: the test takes seconds (the doctor's is the same). */
export const CONNECTION_TEST_TURN_TTL_SECONDS = 120;

export const ConnectionTestRequestSchema = z.object({ camera: SerialSchema.optional() }).strict();
export type ConnectionTestRequest = z.infer<typeof ConnectionTestRequestSchema>;

export const STUN_PROBE_ROLES = ["primary", "alt-address", "alt-port"] as const;
export type StunProbeRole = (typeof STUN_PROBE_ROLES)[number];

const StunUrlSchema = z.string().regex(/^stun:[^\s?]+$/).max(256);
const TurnUrlSchema = z.string().regex(/^turns?:[^\s]+$/).max(256);

/**
 * One STUN destination for the mapping comparison (RFC 5780 §4.3 tests I–III as a browser can
 * run them: it only sees the mapped address each server reports, via srflx candidates).
 * - `primary`: the nearest region's STUN server;
 * - `alt-address`: another IP address (the region's `altStun`, else the next region's STUN);
 * - `alt-port`: the same IP as `sameAddressAs`, another port (coturn's alt-listening-port).
 */
export const StunProbeSchema = z.object({
  role: z.enum(STUN_PROBE_ROLES),
  url: StunUrlSchema,
  /** For `alt-port`: the probe whose IP address it shares. */
  sameAddressAs: z.enum(["primary", "alt-address"]).optional(),
});
export type StunProbe = z.infer<typeof StunProbeSchema>;

export const RELAY_PROBE_TRANSPORTS = ["udp", "tcp", "tls"] as const;
export type RelayProbeTransport = (typeof RELAY_PROBE_TRANSPORTS)[number];

/** One TURN URL of the nearest region, tested alone (iceTransportPolicy "relay"). */
export const RelayProbeSchema = z.object({
  transport: z.enum(RELAY_PROBE_TRANSPORTS),
  region: z.string().max(32),
  url: TurnUrlSchema,
  username: z.string().max(256),
  credential: z.string().max(256),
});
export type RelayProbe = z.infer<typeof RelayProbeSchema>;

export const ConnectionTestCameraSchema = z.object({
  serial: SerialSchema,
  name: z.string().max(200),
  online: z.boolean(),
  /** The camera's latest RFC 5780 discovery (devices.nat_status), null when it never reported one. */
  nat: NatStatusSchema.nullable(),
  /** When the edge received `nat` (ISO 8601). */
  natAt: z.string().nullable(),
  /**
   * This request came from the public address the camera last connected from (compared as keyed
   * hashes, never as addresses); null when the edge has no address for the camera.
   */
  sameNetworkAsCamera: z.boolean().nullable(),
});
export type ConnectionTestCamera = z.infer<typeof ConnectionTestCameraSchema>;

export const ConnectionTestResponseSchema = z.object({
  /** The edge's clock (ISO 8601) when it answered. */
  serverTime: z.string(),
  /** False when the edge has no TURN_SECRET / TURN_REGIONS: relays cannot be tested. */
  turnConfigured: z.boolean(),
  /** Unix seconds after which the relay credentials are refused. */
  expiresAt: z.number().int().nullable(),
  stun: z.array(StunProbeSchema).max(3),
  relays: z.array(RelayProbeSchema).max(6),
  camera: ConnectionTestCameraSchema.nullable(),
});
export type ConnectionTestResponse = z.infer<typeof ConnectionTestResponseSchema>;

/** The one frame /ws/probe sends before it closes with 1000. */
export const WsProbeMessageSchema = z.object({ type: z.literal("probe"), serverTime: z.string() });
export type WsProbeMessage = z.infer<typeof WsProbeMessageSchema>;
