// Why: a signed-in browser carries a short-lived ES256 JWT signed with the edge key. Stateless
// to verify, but bound to users.session_version so "sign out everywhere" can kill every copy.
// Verification is strict (RFC 8725): ES256 only, our issuer, the user-session audience, exp.
import { jwtVerify, SignJWT } from "jose";
import { EDGE_ISSUER, USER_SESSION_AUDIENCE, USER_SESSION_TTL_SECONDS, UserIdSchema } from "../../../protocol/index.ts";
import type { Db } from "../db/client.ts";
import { findUserById } from "../db/users.ts";
import type { UserRow } from "../db/schema.ts";
import { PortholeError } from "../errors.ts";
import { fromJoseError } from "./jose-errors.ts";
import { edgeKeys } from "./ticket.ts";

/** The verified caller of a cookie-authenticated request. */
export interface SessionUser {
  id: string;
  email: string;
  sessionVersion: number;
  /** Epoch seconds the current session JWT expires. */
  expiresAt: number;
}

export async function mintUserSession(
  env: { EDGE_SIGNING_JWK?: string },
  user: { id: string; sessionVersion: number },
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<{ token: string; expiresAt: number }> {
  const keys = await edgeKeys(env);
  const expiresAt = nowSeconds + USER_SESSION_TTL_SECONDS;
  const token = await new SignJWT({ ver: user.sessionVersion })
    .setProtectedHeader({ alg: "ES256", typ: "JWT", ...(keys.kid ? { kid: keys.kid } : {}) })
    .setIssuer(EDGE_ISSUER)
    .setAudience(USER_SESSION_AUDIENCE)
    .setSubject(user.id)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(expiresAt)
    .sign(keys.privateKey);
  return { token, expiresAt };
}

/** Verifies the JWT, then that the user still exists with the same session version. */
export async function verifyUserSession(env: { EDGE_SIGNING_JWK?: string }, d: Db, token: string): Promise<SessionUser> {
  const claims = await verifyUserSessionToken(env, token);
  return sessionUserFrom(claims, await findUserById(d, claims.sub));
}

/** What a verified session JWT says; the user row must still be checked (sessionUserFrom). */
export interface SessionClaims {
  sub: string;
  ver: number;
  exp: number;
}

/**
 * The JWT half of verifyUserSession, for a caller that reads the user row together with other
 * rows in one query (watch-socket.ts). Never enough alone: sessionUserFrom must follow.
 */
export async function verifyUserSessionToken(env: { EDGE_SIGNING_JWK?: string }, token: string): Promise<SessionClaims> {
  const keys = await edgeKeys(env);
  let sub: string;
  let ver: unknown;
  let exp: number;
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: ["ES256"],
      issuer: EDGE_ISSUER,
      audience: USER_SESSION_AUDIENCE,
      requiredClaims: ["exp", "iat", "sub", "ver"],
    });
    sub = payload.sub as string;
    ver = payload.ver;
    exp = payload.exp as number;
  } catch (err) {
    throw fromJoseError(err, { expired: "not_signed_in", invalid: "not_signed_in" });
  }
  if (!UserIdSchema.safeParse(sub).success || !Number.isInteger(ver)) {
    throw new PortholeError("not_signed_in", "The session is malformed. Sign in again.");
  }
  return { sub, ver: ver as number, exp };
}

/** The session's user, if its row still exists with the version the JWT was minted with. */
export function sessionUserFrom(claims: SessionClaims, user: UserRow | undefined): SessionUser {
  if (!user || user.id !== claims.sub || user.sessionVersion !== claims.ver) throw new PortholeError("not_signed_in", "The session was ended. Sign in again.");
  return { id: user.id, email: user.email, sessionVersion: user.sessionVersion, expiresAt: claims.exp };
}
