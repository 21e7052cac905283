// Why: request and response bodies of the edge's HTTP API, validated on both ends.
import { z } from "zod";
import { SerialSchema, SessionIdSchema } from "./ice.ts";
import { NatStatusSchema } from "./nat.ts";
import { NatSideSchema } from "./path-prediction.ts";

/** Access codes are printed on the camera label: 8–32 chars, case-insensitive, no spaces. */
export const AccessCodeSchema = z.string().trim().min(6).max(64);

/** GET /api/devices/:serial — presence, readable without any secret. */
export const DevicePresenceSchema = z.object({
  serial: SerialSchema,
  name: z.string(),
  vendor: z.string(),
  online: z.boolean(),
  /** ISO time the device was last connected (now, if online); null if never. */
  lastSeenAt: z.string().nullable(),
  viewers: z.number().int().nonnegative(),
});
export type DevicePresence = z.infer<typeof DevicePresenceSchema>;

/** POST /api/sessions — ask for a ticket to open a viewer session. */
/**
 * Signed in (session cookie): only the serial; the caller's role decides. Without an account:
 * the label's access code, accepted only where the owner allows code viewing.
 */
export const CreateSessionRequestSchema = z.object({
  serial: SerialSchema,
  accessCode: AccessCodeSchema.optional(),
  /**
   * The viewer's own NAT as its connection test measured it, when it has one. The edge copies it
   * into the grant (`vnat`) so the camera can skip waiting for a direct path that cannot exist
   * (predictPath). Self-reported: it only ever changes this viewer's own nomination timing.
   */
  viewerNat: NatSideSchema.optional(),
});
export type CreateSessionRequest = z.infer<typeof CreateSessionRequestSchema>;

export const CreateSessionResponseSchema = z.object({
  sessionId: SessionIdSchema,
  /** Short-lived, single-use; pass as ?ticket= to the WebSocket URL. */
  ticket: z.string(),
  expiresAt: z.string(),
  /** Path of the viewer WebSocket, relative to the edge origin. */
  wsPath: z.string(),
  /** Lets this session send its one session report (POST /api/session-reports/:sessionId), for 24 h. */
  reportToken: z.string(),
  /** The camera's last NAT discovery (null: never reported), so the PWA can explain the path it gets. */
  cameraNat: NatStatusSchema.nullable(),
});
export type CreateSessionResponse = z.infer<typeof CreateSessionResponseSchema>;

/** POST /api/admin/vendors (Authorization: Bearer ADMIN_TOKEN). Idempotent for the same key. */
export const RegisterVendorRequestSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  /** Public JWK: EC P-256 (ES256) or OKP Ed25519 (EdDSA). No private members allowed. */
  publicJwk: z.record(z.string(), z.unknown()),
});
export type RegisterVendorRequest = z.infer<typeof RegisterVendorRequestSchema>;

export const RegisterVendorResponseSchema = z.object({
  vendorId: z.string(),
  name: z.string(),
  alg: z.enum(["ES256", "EdDSA"]),
  created: z.boolean(),
});
export type RegisterVendorResponse = z.infer<typeof RegisterVendorResponseSchema>;

/** POST /api/vendor/devices (Authorization: Bearer <vendor API JWT>). */
export const CreateDeviceRequestSchema = z.object({
  serial: SerialSchema,
  name: z.string().min(1).max(128).optional(),
});
export type CreateDeviceRequest = z.infer<typeof CreateDeviceRequestSchema>;

export const CreateDeviceResponseSchema = z.object({
  serial: SerialSchema,
  vendorId: z.string(),
  /** Shown once; only its hash is stored. */
  accessCode: z.string(),
});
export type CreateDeviceResponse = z.infer<typeof CreateDeviceResponseSchema>;

export const HealthResponseSchema = z.object({ ok: z.literal(true), version: z.string() });

/** GET /api/edge/jwks — the edge's public signing keys (devices pin these to verify grants). */
export const EdgeJwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) });
export type EdgeJwks = z.infer<typeof EdgeJwksSchema>;

/** POST /api/vendor/keys — rotate the vendor's signing key (signed with a current key). */
export const RotateVendorKeyRequestSchema = z.object({
  publicJwk: z.record(z.string(), z.unknown()),
  /** ISO time until which the previous key still verifies tokens (default: now + 30 days). */
  previousKeyValidUntil: z.string().datetime().optional(),
});
export const RotateVendorKeyResponseSchema = z.object({ kid: z.string(), previousKeyValidUntil: z.string().nullable() });
export type RotateVendorKeyResponse = z.infer<typeof RotateVendorKeyResponseSchema>;

/** POST /api/vendor/devices/:serial/token-version — invalidate every older device token. */
export const TokenVersionResponseSchema = z.object({ serial: SerialSchema, tokenVersion: z.number().int().positive() });
export type TokenVersionResponse = z.infer<typeof TokenVersionResponseSchema>;
