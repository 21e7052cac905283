// Why: every failure the viewer can meet — an HTTP error body, a signaling `error` frame, a
// WebSocket close reason or a local WebRTC failure — becomes one message a person can act on.
import type { ErrorCode } from "../../../protocol/errors.ts";
import { NO_WEBRTC_TEXT } from "./browser-support.ts";

/** Failures detected in the browser; they never cross the wire. */
export const CLIENT_ERROR_CODES = [
  "ice_failed",
  "connection_lost",
  "signaling_closed",
  "network_error",
  "offer_timeout",
  "media_timeout",
  "webrtc_unsupported",
  "invalid_serial",
  "invalid_access_code",
  "protocol_error",
  "camera_ended",
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** What the UI offers next to the message. */
export type ErrorAction = "retry" | "edit-code" | "edit-serial" | "wait" | "update" | "sign-in" | "none";

export interface ErrorContext {
  /** From a rate_limited body: seconds left before another attempt is allowed. */
  retryAfterSeconds?: number;
  /** Human text for when the camera was last connected ("5 min ago"). */
  lastSeen?: string;
  /** Free text from the other side (session-end reason), shown only where it helps. */
  detail?: string;
  /** device_busy: how many are watching and how many the camera allows. */
  watching?: number;
  limit?: number;
  /** What was being attempted, where one code reads differently (rate limits at sign-in). */
  attempt?: "sign-in" | "sign-up";
}

export interface ErrorDescription {
  title: string;
  message: string;
  action: ErrorAction;
}

/** A wait as people say it: seconds under two minutes, then minutes (a sign-up window is an hour). */
function waitText(seconds: number): string {
  const s = Math.ceil(seconds);
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}

type Entry = { title: string; action: ErrorAction; message: (ctx: ErrorContext) => string };
const fixed = (title: string, action: ErrorAction, message: string): Entry => ({ title, action, message: () => message });

const LABEL_HINT = "It's printed on the label under the camera.";
const CAMERA_SIGN_IN =
  "The camera couldn't sign in to Porthole. Restart the camera; if that doesn't help, contact its maker.";

const MESSAGES: Record<ErrorCode | ClientErrorCode, Entry> = {
  // ---- edge codes (protocol/errors.ts) ----
  bad_request: fixed("Check the serial and code", "edit-serial",
    `That serial or access code isn't in a valid format. ${LABEL_HINT}`),
  malformed_message: fixed("Update the app", "update",
    "This app and Porthole disagreed about a message. Reload to update the app, then try again."),
  message_too_large: fixed("Something went wrong", "retry",
    "A message was too large to send. Try again; if it keeps happening, reload the app."),
  too_many_messages: fixed("Something went wrong", "retry",
    "This app sent Porthole more messages than a session needs, so the session was stopped. Connect again; if it keeps happening, reload the app."),
  unsupported_version: fixed("Update the app", "update",
    "This version of the app is too old for Porthole. Update the app (reload the page) to keep watching."),
  unauthorized: fixed("Not signed in", "retry", "Porthole didn't accept this session. Connect again."),
  device_token_invalid: fixed("Camera can't sign in", "retry", CAMERA_SIGN_IN),
  device_token_expired: fixed("Camera can't sign in", "retry", CAMERA_SIGN_IN),
  device_serial_mismatch: fixed("Camera can't sign in", "retry", CAMERA_SIGN_IN),
  device_revoked: fixed("Camera revoked", "none",
    "This camera has been revoked by its maker and can't be viewed. Contact the maker if you think this is a mistake."),
  wrong_access_code: fixed("Wrong access code", "edit-code", `That access code doesn't match. ${LABEL_HINT}`),
  ticket_invalid: fixed("Connection expired", "retry", "The connection took too long to start and expired. Connect again."),
  forbidden: fixed("Not allowed", "none", "You're not allowed to view this camera."),
  device_not_found: fixed("Unknown camera", "edit-serial",
    `No camera has this serial. Check it against the label under the camera — letters, digits and dashes.`),
  vendor_not_found: fixed("Unknown camera maker", "none",
    "This camera's maker isn't registered with Porthole. Contact the maker."),
  not_found: fixed("Not found", "edit-serial", "Porthole couldn't find that camera. Check the serial and try again."),
  device_offline: {
    title: "Camera offline",
    action: "retry",
    message: (ctx) =>
      `The camera isn't connected to Porthole${ctx.lastSeen ? ` (last seen ${ctx.lastSeen})` : ""}. ` +
      "Check that it's plugged in and its Wi-Fi is working, then try again.",
  },
  conflict: fixed("Try again", "retry", "Something changed at the same moment. Try again."),
  device_replaced: fixed("Camera reconnected", "retry",
    "The camera reconnected to Porthole, which ended this session. Connect again."),
  session_ended: fixed("Session ended", "retry", "The session ended. Connect again to keep watching."),
  rate_limited: {
    title: "Too many attempts",
    action: "wait",
    message: (ctx) => {
      const what =
        ctx.attempt === "sign-in" ? "Too many sign-in attempts." : ctx.attempt === "sign-up" ? "Too many new accounts from this network." : "Too many wrong codes.";
      return ctx.retryAfterSeconds !== undefined && ctx.retryAfterSeconds > 0
        ? `${what} Try again in ${waitText(ctx.retryAfterSeconds)}.`
        : `${what} Wait a minute, then try again.`;
    },
  },
  internal: fixed("Porthole had a problem", "retry", "Porthole had a problem on its side. Try again in a moment."),

  // ---- accounts and access (issue 3) ----
  not_signed_in: fixed("Sign in", "sign-in", "You're signed out (or your sign-in expired). Sign in again to continue."),
  invalid_credentials: fixed("Can't sign in", "none",
    "That email and password don't match an account. Check both, or create an account if you don't have one."),
  email_taken: fixed("Email already used", "none",
    "An account with this email already exists. Sign in instead, or use another email."),
  user_not_found: fixed("No account with that email", "none",
    "Nobody has a Porthole account with that email. Ask them to create one first, then share again."),
  no_access: fixed("No access to this camera", "none",
    "Your account can't watch this camera. Ask its owner to share it with you."),
  already_claimed: fixed("Camera already has an owner", "none",
    "Someone has already added this camera to their account. Ask them to share it with you, or to release it if it's now yours."),
  code_viewing_disabled: fixed("Sign in to watch", "sign-in",
    "The owner has turned off watching with the access code. Sign in with an account the camera is shared with."),
  signed_out: fixed("Signed out everywhere", "sign-in",
    "This account was signed out on every device, so the video ended. Sign in again to keep watching."),
  access_revoked: fixed("Access removed", "none",
    "The owner stopped sharing this camera with you, so the video ended. Ask them to share it again if that's a mistake."),
  device_busy: {
    title: "Camera is busy",
    action: "retry",
    message: (ctx) =>
      (ctx.watching !== undefined && ctx.limit !== undefined
        ? `The camera already has ${ctx.watching} of ${ctx.limit} viewers.`
        : "The camera already has as many viewers as it allows.") +
      " Try again when someone stops watching.",
  },
  heartbeat_timeout: fixed("Connection timed out", "retry",
    "This app stopped answering Porthole for a while (the network dropped or the device slept), so the session ended. Connect again."),
  grant_invalid: fixed("Connection expired", "retry",
    "The camera didn't accept this session's pass (it may have expired). Connect again."),
  // Session reports are sent by the app itself and never shown as a session error.
  report_token_invalid: fixed("Something went wrong", "none", "This session's report was not accepted."),
  report_not_yours: fixed("Something went wrong", "none", "This session's report was not accepted."),
  report_exists: fixed("Something went wrong", "none", "This session has already been reported."),

  // ---- push notifications (issue 13) ----
  push_disabled: fixed("Notifications unavailable", "none",
    "This Porthole server isn't set up to send notifications. Its operator can turn them on."),
  push_endpoint_invalid: fixed("Notifications unavailable", "none",
    "This browser's notification service isn't one Porthole can send to. Try another browser."),
  push_subscription_limit: fixed("Too many devices", "none",
    "Notifications are already on in as many browsers as one account may have. Turn them off in one you no longer use, then try again."),

  // ---- operators (issue 15) ----
  operator_required: fixed("Operator sign-in", "sign-in",
    "This page is for Porthole's operators. Sign in with the admin token (or your operator sign-in expired)."),

  // ---- client codes ----
  ice_failed: fixed("Can't reach the camera directly", "retry",
    "Your network or the camera's blocks direct peer-to-peer connections, and the relay did not get through either (some office, hotel and mobile networks do). " +
      "Try another network — mobile data instead of Wi-Fi, or the other way round."),
  connection_lost: fixed("Connection lost", "retry",
    "The video connection dropped. The camera or your network may have gone offline. Try again."),
  signaling_closed: fixed("Connection closed", "retry",
    "The connection to Porthole closed before the video started. Check your internet connection and try again."),
  network_error: fixed("You're offline", "retry", "Can't reach Porthole. Check your internet connection and try again."),
  offer_timeout: fixed("Camera didn't answer", "retry",
    "The camera didn't respond. It may be busy or restarting — try again in a moment."),
  media_timeout: fixed("No video", "retry",
    "Connected to the camera, but no video arrived. Try again; if it keeps happening, restart the camera."),
  webrtc_unsupported: fixed("Live video not supported", "none", NO_WEBRTC_TEXT),
  invalid_serial: fixed("Check the serial", "edit-serial",
    `Enter the camera's serial — letters, digits and dashes. ${LABEL_HINT}`),
  invalid_access_code: fixed("Check the access code", "edit-code",
    `Enter the access code (at least 6 characters). ${LABEL_HINT}`),
  protocol_error: fixed("Update the app", "update",
    "The camera sent something this app doesn't understand. Update the app (reload the page), or restart the camera."),
  camera_ended: {
    title: "Camera ended the session",
    action: "retry",
    message: (ctx) => `The camera ended the session${ctx.detail ? ` (${ctx.detail})` : ""}. Connect again to keep watching.`,
  },
};

/** True when `code` has its own message (edge or client code). */
export function hasMessage(code: string): code is ErrorCode | ClientErrorCode {
  return Object.hasOwn(MESSAGES, code);
}

/** The message for any code; unknown codes get a generic message that still names the code. */
export function describeError(code: string, ctx: ErrorContext = {}): ErrorDescription {
  if (!hasMessage(code)) {
    return { title: "Something went wrong", action: "retry", message: `Something went wrong (${code}). Try again.` };
  }
  const entry = MESSAGES[code];
  return { title: entry.title, action: entry.action, message: entry.message(ctx) };
}
