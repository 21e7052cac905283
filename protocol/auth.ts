// Why: the JWT audiences and issuers every party must agree on. A token minted for one purpose
// must never be accepted for another (RFC 8725 §3.9 "Use explicit typing / audience").

/** Device credential, minted and signed by the vendor: iss = vendorId, sub = serial. */
export const DEVICE_TOKEN_AUDIENCE = "porthole-device";
/** Vendor → edge API calls, signed by the vendor key: iss = vendorId, short-lived. */
export const VENDOR_API_AUDIENCE = "porthole-vendor-api";
/** Viewer session ticket minted by the edge: sub = serial, sid = session id. */
export const VIEWER_TICKET_AUDIENCE = "porthole-viewer-ticket";
export const EDGE_ISSUER = "porthole-edge";

/** Signature algorithms accepted for vendor keys. Anything else (none, HS*, RS*) is refused. */
export const VENDOR_ALGORITHMS = ["ES256", "EdDSA"] as const;
export type VendorAlgorithm = (typeof VENDOR_ALGORITHMS)[number];

/** Seconds a viewer ticket stays valid; it is also single-use. */
export const VIEWER_TICKET_TTL_SECONDS = 60;
