// Why: a viewer grant (the "ticket" of the HTTP API) is the edge's signed statement that this
// user, with this role, may open this one session on this camera. ES256-signed so the device
// verifies it with the edge's public key (defense in depth if signaling is ever compromised),
// audience-bound, 60 s, single-use (the hub remembers used `sid`s until they expire).
import { importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK } from "jose";
import {
  EDGE_ISSUER,
  SESSION_ROLES,
  SessionIdSchema,
  VIEWER_TICKET_AUDIENCE,
  VIEWER_TICKET_TTL_SECONDS,
  VIEWER_NAT_CLAIM,
  type NatSide,
  type ViewerGrantClaims,
} from "../../../protocol/index.ts";
import { PortholeError } from "../errors.ts";
import { fromJoseError } from "./jose-errors.ts";

interface EdgeKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  kid: string | undefined;
}

let cache: { raw: string; keys: Promise<EdgeKeys> } | undefined;

async function loadKeys(raw: string): Promise<EdgeKeys> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(raw) as JWK;
  } catch {
    throw new Error("EDGE_SIGNING_JWK is not JSON");
  }
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || typeof jwk.d !== "string") {
    throw new Error("EDGE_SIGNING_JWK must be a private EC P-256 JWK");
  }
  const { d: _d, key_ops: _ops, ...pub } = jwk;
  return {
    privateKey: (await importJWK({ ...jwk, key_ops: undefined }, "ES256")) as CryptoKey,
    publicKey: (await importJWK(pub, "ES256")) as CryptoKey,
    kid: jwk.kid,
  };
}

/** The edge's signing key pair from the EDGE_SIGNING_JWK secret, imported once per isolate. */
export function edgeKeys(env: { EDGE_SIGNING_JWK?: string }): Promise<EdgeKeys> {
  const raw = env.EDGE_SIGNING_JWK;
  if (!raw) return Promise.reject(new Error("EDGE_SIGNING_JWK is not set"));
  if (cache?.raw !== raw) cache = { raw, keys: loadKeys(raw) };
  return cache.keys;
}

export type ViewerTicket = ViewerGrantClaims;

const GRANT_ROLES = new Set<ViewerGrantClaims["role"]>(SESSION_ROLES);

/**
 * Who the grant is for: a signed-in user with their role, or an access-code viewer. `name` is the
 * display label other viewers see ("alice is talking"); the device checks it is ≤ 128 characters.
 */
export type GrantSubject = ({ userId: string; role: "owner" | "viewer" | "guest" } | { userId: null; role: "code" }) & { name?: string };

/** Longest display label in a grant (the device refuses longer ones). */
export const GRANT_NAME_MAX = 128;

/** The label for a signed-in user: their email's local part, never the whole address (other viewers see it). */
export function grantNameForEmail(email: string): string {
  const local = email.split("@")[0] ?? "";
  return (local || "Someone").slice(0, GRANT_NAME_MAX);
}

/** The label for an access-code session: there is no account to name. */
export const CODE_GRANT_NAME = "Access-code viewer";

export async function mintViewerTicket(
  env: { EDGE_SIGNING_JWK?: string },
  serial: string,
  sessionId: string,
  subject: GrantSubject,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  /** The viewer's self-measured NAT, passed on to the camera (VIEWER_NAT_CLAIM). */
  viewerNat?: NatSide,
): Promise<{ ticket: string; expiresAt: number }> {
  const keys = await edgeKeys(env);
  const expiresAt = nowSeconds + VIEWER_TICKET_TTL_SECONDS;
  const name = subject.name?.slice(0, GRANT_NAME_MAX);
  const ticket = await new SignJWT({ sid: sessionId, uid: subject.userId, role: subject.role, ...(name ? { name } : {}), ...(viewerNat ? { [VIEWER_NAT_CLAIM]: viewerNat } : {}) })
    .setProtectedHeader({ alg: "ES256", typ: "JWT", ...(keys.kid ? { kid: keys.kid } : {}) })
    .setIssuer(EDGE_ISSUER)
    .setAudience(VIEWER_TICKET_AUDIENCE)
    .setSubject(serial)
    .setJti(sessionId)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(expiresAt)
    .sign(keys.privateKey);
  return { ticket, expiresAt };
}

/** Verifies signature, algorithm, issuer, audience, expiry and that the grant is for `serial`. */
export async function verifyViewerTicket(env: { EDGE_SIGNING_JWK?: string }, ticket: string, serial: string): Promise<ViewerTicket> {
  const keys = await edgeKeys(env);
  try {
    const { payload } = await jwtVerify(ticket, keys.publicKey, {
      algorithms: ["ES256"],
      issuer: EDGE_ISSUER,
      audience: VIEWER_TICKET_AUDIENCE,
      requiredClaims: ["exp", "sub", "sid", "role"],
    });
    const sid = SessionIdSchema.safeParse(payload.sid);
    if (!sid.success) throw new PortholeError("ticket_invalid", "The ticket has no valid session id.");
    if (payload.sub !== serial) throw new PortholeError("ticket_invalid", "The ticket is for another camera.");
    const role = payload.role as ViewerGrantClaims["role"];
    if (!GRANT_ROLES.has(role)) throw new PortholeError("ticket_invalid", "The ticket has no valid role.");
    const uid = payload.uid;
    if (role === "code" ? uid !== null && uid !== undefined : typeof uid !== "string") {
      throw new PortholeError("ticket_invalid", "The ticket's user does not match its role.");
    }
    return { serial, sessionId: sid.data, userId: role === "code" ? null : (uid as string), role, expiresAt: payload.exp as number };
  } catch (err) {
    throw fromJoseError(err, { expired: "ticket_invalid", invalid: "ticket_invalid" });
  }
}

/** The edge's public signing key as a JWK (GET /api/edge/jwks; devices pin it). */
export async function edgePublicJwk(env: { EDGE_SIGNING_JWK?: string }): Promise<JWK> {
  const raw = env.EDGE_SIGNING_JWK;
  if (!raw) throw new Error("EDGE_SIGNING_JWK is not set");
  const { d: _d, key_ops: _ops, ...pub } = JSON.parse(raw) as JWK;
  return { ...pub, alg: "ES256", use: "sig" };
}
