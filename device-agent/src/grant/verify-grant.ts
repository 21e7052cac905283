// Why: the agent does not take the edge's word that a viewer may watch: it verifies the
// viewer's grant itself with the edge's public key before creating a peer connection. If
// signaling were ever compromised, a forged session-start still gets no video (defense in depth;
// the Kalay lesson is that knowing an ID must never be enough).
import { errors, jwtVerify, type CryptoKey } from "jose";
import { EDGE_ISSUER, NatSideSchema, VIEWER_NAT_CLAIM, VIEWER_TICKET_AUDIENCE, type NatSide, type SessionRole } from "../../../protocol/index.ts";

/** Camera clocks drift (no RTC on many boards, NTP not yet synced): allow this much skew. */
export const GRANT_CLOCK_TOLERANCE_SECONDS = 30;

const ROLES: readonly SessionRole[] = ["owner", "viewer", "guest", "code"];

export interface VerifiedGrant {
  sessionId: string;
  serial: string;
  userId: string | null;
  role: SessionRole;
  /** Epoch seconds. */
  expiresAt: number;
  /** Display label the edge put in the grant (who is talking…); absent in older grants. */
  name?: string;
  /** The viewer's self-measured NAT (VIEWER_NAT_CLAIM), when its connection test ran; advisory only. */
  viewerNat?: NatSide;
}

/** Longest display label accepted from a grant (the talk.state `by` limit). */
export const GRANT_NAME_MAX = 128;

export class GrantError extends Error {
  override readonly name = "GrantError";
}

export interface GrantExpectation {
  /** The edge's public key (ES256). */
  key: CryptoKey;
  /** This camera's serial: a grant for another camera is refused. */
  serial: string;
  /** The session the edge asked to start: a grant replayed into another session is refused. */
  sessionId: string;
  currentDate?: Date;
}

/**
 * Checks signature (ES256 only: `none`, HS256 keyed with the public key, RS*… are refused —
 * RFC 8725 §3.1), issuer, audience, expiry, subject = own serial and sid = this session.
 * Throws GrantError with a short reason.
 */
export async function verifyGrant(grant: string, expect: GrantExpectation): Promise<VerifiedGrant> {
  let payload;
  try {
    ({ payload } = await jwtVerify(grant, expect.key, {
      algorithms: ["ES256"],
      issuer: EDGE_ISSUER,
      audience: VIEWER_TICKET_AUDIENCE,
      requiredClaims: ["exp", "sub", "sid", "role"],
      clockTolerance: GRANT_CLOCK_TOLERANCE_SECONDS,
      ...(expect.currentDate ? { currentDate: expect.currentDate } : {}),
    }));
  } catch (e) {
    if (e instanceof errors.JOSEError) throw new GrantError(e.code);
    throw new GrantError("malformed grant");
  }
  if (payload.sub !== expect.serial) throw new GrantError("grant is for another camera");
  if (payload.sid !== expect.sessionId) throw new GrantError("grant is for another session");
  const role = payload.role as SessionRole;
  if (!ROLES.includes(role)) throw new GrantError("grant has no valid role");
  const uid = payload.uid;
  if (role === "code" ? uid != null : typeof uid !== "string") throw new GrantError("grant user does not match its role");
  const name = payload.name;
  const viewerNat = NatSideSchema.safeParse(payload[VIEWER_NAT_CLAIM]).data;
  if (name !== undefined && (typeof name !== "string" || name.length === 0 || name.length > GRANT_NAME_MAX)) throw new GrantError("grant name is not a string of 1-128 characters");
  return {
    sessionId: expect.sessionId,
    serial: expect.serial,
    userId: (uid as string | null | undefined) ?? null,
    role,
    expiresAt: payload.exp!,
    ...(name !== undefined ? { name } : {}),
    // Advisory (it only tunes how long this viewer's own session waits for a direct pair): a
    // malformed value is dropped, not fatal.
    ...(viewerNat ? { viewerNat } : {}),
  };
}
