// Why: one table of stable error codes shared by worker, agent and PWA, so an HTTP body, a
// WebSocket close reason and a PWA message all name the same condition the same way.
import { utf8Length } from "./utf8.ts";

/**
 * Stable error codes. Never rename one: clients switch on them.
 * `http` is the status the edge answers with; `close` the WebSocket close code used when the
 * error ends a socket (RFC 6455 §7.4: 1008 policy, 1009 too big; 4000–4999 are ours).
 */
export const ERROR_CODES = {
  bad_request: { http: 400, close: 1008, message: "The request is malformed." },
  malformed_message: { http: 400, close: 1008, message: "A message did not match the protocol." },
  message_too_large: { http: 413, close: 1009, message: "A message exceeded the size limit." },
  /** A socket sent frames faster than its budget (worker/src/hub/frame-budget.ts): 1008 policy. */
  too_many_messages: { http: 429, close: 1008, message: "Too many messages on this connection." },
  unsupported_version: { http: 400, close: 4001, message: "Protocol version not supported." },
  unauthorized: { http: 401, close: 4401, message: "Authentication required." },
  device_token_invalid: { http: 401, close: 4401, message: "The device token is not valid." },
  device_token_expired: { http: 401, close: 4401, message: "The device token has expired." },
  device_serial_mismatch: { http: 403, close: 4403, message: "The device token is for another serial." },
  device_revoked: { http: 403, close: 4403, message: "This device has been revoked." },
  wrong_access_code: { http: 403, close: 4403, message: "The access code is wrong." },
  ticket_invalid: { http: 401, close: 4401, message: "The session ticket is invalid, expired or already used." },
  forbidden: { http: 403, close: 4403, message: "Not allowed." },
  device_not_found: { http: 404, close: 4404, message: "No camera has this serial." },
  vendor_not_found: { http: 404, close: 4404, message: "Unknown vendor." },
  not_found: { http: 404, close: 4404, message: "Not found." },
  device_offline: { http: 409, close: 4409, message: "The camera is offline." },
  conflict: { http: 409, close: 4409, message: "Already exists." },
  device_replaced: { http: 409, close: 4000, message: "Another connection for this serial replaced this one." },
  session_ended: { http: 410, close: 4010, message: "The session ended." },
  rate_limited: { http: 429, close: 4429, message: "Too many attempts. Wait and try again." },
  not_signed_in: { http: 401, close: 4401, message: "Sign in first." },
  invalid_credentials: { http: 401, close: 4401, message: "The email or password is wrong." },
  email_taken: { http: 409, close: 4409, message: "An account with this email already exists." },
  user_not_found: { http: 404, close: 4404, message: "No account has this email." },
  no_access: { http: 403, close: 4403, message: "You do not have access to this camera." },
  already_claimed: { http: 409, close: 4409, message: "This camera already has an owner." },
  code_viewing_disabled: { http: 403, close: 4403, message: "The owner has turned off watching with the access code." },
  access_revoked: { http: 403, close: 4403, message: "Your access to this camera was removed." },
  signed_out: { http: 401, close: 4401, message: "This account was signed out on every device." },
  device_busy: { http: 409, close: 4503, message: "The camera has as many viewers as it allows." },
  heartbeat_timeout: { http: 408, close: 4408, message: "The connection stopped answering." },
  grant_invalid: { http: 401, close: 4401, message: "The session grant is invalid." },
  report_token_invalid: { http: 401, close: 4401, message: "The session report's token is invalid or expired." },
  report_not_yours: { http: 403, close: 4403, message: "The report token is for another session." },
  report_exists: { http: 409, close: 4409, message: "This session has already sent its report." },
  /** The edge has no VAPID_PRIVATE_JWK: push notifications are off on this edge. */
  push_disabled: { http: 503, close: 1011, message: "Push notifications are not set up on this server." },
  /** A push subscription's endpoint is not an https URL (or is too long). */
  push_endpoint_invalid: { http: 400, close: 1008, message: "The push subscription's endpoint is not a valid https URL." },
  /** The account already has PUSH_SUBSCRIPTIONS_PER_ACCOUNT subscriptions. */
  push_subscription_limit: { http: 409, close: 4409, message: "This account has as many push subscriptions as it may." },
  /** /api/ops/* without a valid operator cookie (a user's session cookie is not one). */
  operator_required: { http: 401, close: 4401, message: "Operator sign-in required." },
  internal: { http: 500, close: 1011, message: "Internal error." },
} as const satisfies Record<string, { http: number; close: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

/** Shape of every JSON error body the edge returns over HTTP. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; retryAfterSeconds?: number };
}

/**
 * A WebSocket close reason must fit in 123 bytes (RFC 6455 §5.5: control frame payload ≤ 125,
 * minus the 2-byte code). We put the stable code first so clients can parse it: "code: detail".
 */
export function closeReason(code: ErrorCode, detail?: string): string {
  const text = detail ? `${code}: ${detail}` : code;
  if (utf8Length(text) <= 123) return text;
  // Cut on a character boundary below the limit.
  let cut = text.slice(0, 123);
  while (utf8Length(cut) > 123) cut = cut.slice(0, -1);
  return cut;
}

/** Reads the stable code back out of a close reason written by closeReason(). */
export function codeFromCloseReason(reason: string): ErrorCode | undefined {
  const head = reason.split(":", 1)[0]?.trim();
  return isErrorCode(head) ? head : undefined;
}
