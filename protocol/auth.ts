// Why: the JWT audiences and issuers every party must agree on. A token minted for one purpose
// must never be accepted for another (RFC 8725 §3.9 "Use explicit typing / audience").
import type { SessionRole } from "./roles.ts";

/** Device credential, minted and signed by the vendor: iss = vendorId, sub = serial. */
export const DEVICE_TOKEN_AUDIENCE = "porthole-device";
/** Vendor → edge API calls, signed by the vendor key: iss = vendorId, short-lived. */
export const VENDOR_API_AUDIENCE = "porthole-vendor-api";
/**
 * Viewer session grant minted by the edge: sub = serial, sid = session id, uid = user id (null
 * for access-code viewing), role. Single-use for the viewer socket; the hub hands the same JWT
 * to the device, which verifies it with the edge's public key before answering.
 */
export const VIEWER_TICKET_AUDIENCE = "porthole-viewer-grant";
/** Signed-in user session, carried in an HttpOnly cookie: sub = user id, ver = session version. */
export const USER_SESSION_AUDIENCE = "porthole-user-session";
export const SESSION_COOKIE_NAME = "porthole_session";
/** A session lives 30 minutes and is renewed (new cookie) once less than half remains. */
export const USER_SESSION_TTL_SECONDS = 30 * 60;
export const EDGE_ISSUER = "porthole-edge";

/** Signature algorithms accepted for vendor keys. Anything else (none, HS*, RS*) is refused. */
export const VENDOR_ALGORITHMS = ["ES256", "EdDSA"] as const;
export type VendorAlgorithm = (typeof VENDOR_ALGORITHMS)[number];

/** Claims of a viewer grant after verification (what device and hub rely on). */
export interface ViewerGrantClaims {
  serial: string;
  sessionId: string;
  userId: string | null;
  role: SessionRole;
  /** Epoch seconds. */
  expiresAt: number;
}

/** The grant claim carrying the viewer's self-measured NAT (CreateSessionRequest.viewerNat). */
export const VIEWER_NAT_CLAIM = "vnat";

/** Seconds a viewer ticket stays valid; it is also single-use. */
export const VIEWER_TICKET_TTL_SECONDS = 60;
