// Why: only the viewer who was granted a session may report on it, and that viewer may have no
// account (access-code viewing) and may be closing the tab (sendBeacon carries no custom
// headers and must not depend on a cookie). So the grant comes with a second, audience-bound
// token naming the session, the camera and who holds it; the report carries it in its body.
// It outlives the 60 s viewer ticket because a session reports when it ends, hours later.
import { jwtVerify, SignJWT } from "jose";
import {
  EDGE_ISSUER,
  SESSION_REPORT_AUDIENCE,
  SESSION_REPORT_TOKEN_TTL_SECONDS,
  SESSION_ROLES,
  SerialSchema,
  SessionIdSchema,
  type SessionRole,
} from "../../../protocol/index.ts";
import { PortholeError } from "../errors.ts";
import { fromJoseError } from "./jose-errors.ts";
import type { GrantSubject } from "./ticket.ts";
import { edgeKeys } from "./ticket.ts";

/** Who may report on which session, as the token says. */
export interface ReportGrant {
  sessionId: string;
  serial: string;
  userId: string | null;
  role: SessionRole;
  /** When the grant was minted (Unix seconds): the session cannot have started earlier. */
  issuedAt: number;
}

export async function mintReportToken(
  env: { EDGE_SIGNING_JWK?: string },
  serial: string,
  sessionId: string,
  subject: GrantSubject,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<string> {
  const keys = await edgeKeys(env);
  return new SignJWT({ sid: sessionId, uid: subject.userId, role: subject.role })
    .setProtectedHeader({ alg: "ES256", typ: "JWT", ...(keys.kid ? { kid: keys.kid } : {}) })
    .setIssuer(EDGE_ISSUER)
    .setAudience(SESSION_REPORT_AUDIENCE)
    .setSubject(serial)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + SESSION_REPORT_TOKEN_TTL_SECONDS)
    .sign(keys.privateKey);
}

const ROLES = new Set<string>(SESSION_ROLES);

/**
 * The grant a report token carries, if it is the edge's own, unexpired, for reports, and names
 * `sessionId`. A genuine token for another session is `report_not_yours` (403), anything else
 * `report_token_invalid` (401).
 */
export async function verifyReportToken(env: { EDGE_SIGNING_JWK?: string }, token: string, sessionId: string): Promise<ReportGrant> {
  const keys = await edgeKeys(env);
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: ["ES256"],
      issuer: EDGE_ISSUER,
      audience: SESSION_REPORT_AUDIENCE,
      requiredClaims: ["exp", "iat", "sub", "sid", "role"],
    }));
  } catch (err) {
    throw fromJoseError(err, { expired: "report_token_invalid", invalid: "report_token_invalid" });
  }
  const sid = SessionIdSchema.safeParse(payload.sid);
  const serial = SerialSchema.safeParse(payload.sub);
  const role = typeof payload.role === "string" && ROLES.has(payload.role) ? (payload.role as SessionRole) : null;
  const uid = payload.uid;
  if (!sid.success || !serial.success || !role || (role === "code" ? uid != null : typeof uid !== "string")) {
    throw new PortholeError("report_token_invalid");
  }
  if (sid.data !== sessionId) throw new PortholeError("report_not_yours");
  return { sessionId: sid.data, serial: serial.data, userId: role === "code" ? null : (uid as string), role, issuedAt: payload.iat as number };
}
