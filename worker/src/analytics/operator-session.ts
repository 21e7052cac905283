// Why: operators sign in by exchanging the admin token once (POST /api/ops/session) for a short
// ES256 JWT in an HttpOnly, SameSite=Strict cookie scoped to /api/ops — so the token is never in
// a URL, never in the page's script, and never sent along with anything else. Its audience is
// not a user session's, so neither cookie can stand in for the other (RFC 8725 §3.9).
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { jwtVerify, SignJWT } from "jose";
import { EDGE_ISSUER, OPS_AUDIENCE, OPS_SESSION_SECONDS } from "../../../protocol/index.ts";
import { fromJoseError } from "../auth/jose-errors.ts";
import { isLocalDev } from "../auth/session-cookie.ts";
import { edgeKeys } from "../auth/ticket.ts";

export const OPS_COOKIE_NAME = "porthole_ops";
const SUBJECT = "operator";

/** A new operator session JWT and when it expires (Unix seconds). */
export async function mintOperatorSession(env: { EDGE_SIGNING_JWK?: string }, nowSeconds = Math.floor(Date.now() / 1000)): Promise<{ token: string; expiresAt: number }> {
  const keys = await edgeKeys(env);
  const expiresAt = nowSeconds + OPS_SESSION_SECONDS;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "ES256", typ: "JWT", ...(keys.kid ? { kid: keys.kid } : {}) })
    .setIssuer(EDGE_ISSUER)
    .setAudience(OPS_AUDIENCE)
    .setSubject(SUBJECT)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(expiresAt)
    .sign(keys.privateKey);
  return { token, expiresAt };
}

/** When the operator session expires (Unix seconds), or operator_required. ES256 only, our issuer, the ops audience, exp. */
export async function verifyOperatorSession(env: { EDGE_SIGNING_JWK?: string }, token: string): Promise<number> {
  const keys = await edgeKeys(env);
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: ["ES256"],
      issuer: EDGE_ISSUER,
      audience: OPS_AUDIENCE,
      subject: SUBJECT,
      requiredClaims: ["exp", "iat", "sub"],
    });
    return payload.exp as number;
  } catch (err) {
    throw fromJoseError(err, { expired: "operator_required", invalid: "operator_required" });
  }
}

function options(c: Context) {
  return { httpOnly: true, sameSite: "Strict", path: "/api/ops", secure: !isLocalDev(c.req.url) } as const;
}

export function readOperatorCookie(c: Context): string | undefined {
  return getCookie(c, OPS_COOKIE_NAME) || undefined;
}

export function setOperatorCookie(c: Context, token: string): void {
  setCookie(c, OPS_COOKIE_NAME, token, { ...options(c), maxAge: OPS_SESSION_SECONDS });
}

export function clearOperatorCookie(c: Context): void {
  deleteCookie(c, OPS_COOKIE_NAME, options(c));
}
