// Why: the resume credential is an opaque random secret the hub keeps with the session, not a
// signed JWT. Whether a session can be resumed is state only the hub has (is it in grace? which
// socket's token is current?), so a signature would prove nothing the lookup does not; single
// use falls out of storing one token per socket; revocation (share removed, camera released or
// revoked) already ends the hub's sessions, and the token dies with its session. And 43
// characters fit the 2 KiB hibernation attachment next to the grant and TURN credentials,
// where a second ES256 JWT (~450 B) would not comfortably.
import { base64url, randomBytes } from "../random.ts";

/** 256 bits, 43 base64url characters (ResumeTokenSchema). */
export function newResumeToken(): string {
  return base64url(randomBytes(32));
}

/** Compares two tokens in time independent of where they differ (no early exit). */
export function tokensEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}
