// Why: a viewer ticket is the edge's proof that someone knew the access code a moment ago.
// ES256-signed (so devices can later verify grants with the public half), audience-bound,
// 60 s, single-use (the hub remembers used `sid`s until they expire).
import { importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK } from "jose";
import { EDGE_ISSUER, SessionIdSchema, VIEWER_TICKET_AUDIENCE, VIEWER_TICKET_TTL_SECONDS } from "../../../protocol/index.ts";
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

export interface ViewerTicket {
  serial: string;
  sessionId: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export async function mintViewerTicket(
  env: { EDGE_SIGNING_JWK?: string },
  serial: string,
  sessionId: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<{ ticket: string; expiresAt: number }> {
  const keys = await edgeKeys(env);
  const expiresAt = nowSeconds + VIEWER_TICKET_TTL_SECONDS;
  const ticket = await new SignJWT({ sid: sessionId })
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

/** Verifies signature, algorithm, issuer, audience, expiry and that the ticket is for `serial`. */
export async function verifyViewerTicket(env: { EDGE_SIGNING_JWK?: string }, ticket: string, serial: string): Promise<ViewerTicket> {
  const keys = await edgeKeys(env);
  try {
    const { payload } = await jwtVerify(ticket, keys.publicKey, {
      algorithms: ["ES256"],
      issuer: EDGE_ISSUER,
      audience: VIEWER_TICKET_AUDIENCE,
      requiredClaims: ["exp", "sub", "sid"],
    });
    const sid = SessionIdSchema.safeParse(payload.sid);
    if (!sid.success) throw new PortholeError("ticket_invalid", "The ticket has no valid session id.");
    if (payload.sub !== serial) throw new PortholeError("ticket_invalid", "The ticket is for another camera.");
    return { serial, sessionId: sid.data, expiresAt: payload.exp as number };
  } catch (err) {
    throw fromJoseError(err, { expired: "ticket_invalid", invalid: "ticket_invalid" });
  }
}
