// Why: a camera that cannot sign in is "offline" to everyone, and the causes need different
// people: an expired or wrong-serial token is the installer's, an unknown key or a superseded
// token the vendor's, a revoked camera final. The token is read locally (its claims are not
// secret; only the whole token is) and the edge's own verdict (the doctor route, the same checks
// as the device socket) decides, since only the edge knows keys, versions and revocation.
import { decodeJwt } from "jose";
import { DEVICE_TOKEN_AUDIENCE } from "../../../protocol/index.ts";
import { describeNetError, type NetError } from "./net-error.ts";
import { check, type CheckResult } from "./types.ts";

/** A token expiring within this is a warning: re-provisioning takes a vendor round trip. */
export const TOKEN_EXPIRY_WARN_DAYS = 14;

export type TokenClaims =
  | { ok: true; iss: string | undefined; sub: string | undefined; aud: string[]; exp: number | undefined }
  | { ok: false; reason: string };

/** Reads the claims without verifying (the camera has no vendor key; the edge verifies). */
export function readTokenClaims(token: string): TokenClaims {
  try {
    const p = decodeJwt(token);
    const aud = p.aud === undefined ? [] : Array.isArray(p.aud) ? p.aud : [p.aud];
    return { ok: true, iss: p.iss, sub: p.sub, aud, exp: p.exp };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

/** What the edge said to POST /api/devices/:serial/doctor. */
export type EdgeTokenVerdict =
  | { kind: "accepted" }
  | { kind: "refused"; status: number; code: string; message: string }
  | { kind: "unreachable"; error: NetError };

const REPROVISION = "Ask the camera's vendor for a new device token (`npm run provision -- token --serial <serial>`) and put it in --token-file / PORTHOLE_DEVICE_TOKEN.";

export function evaluateToken(o: { serial: string; claims: TokenClaims; edge: EdgeTokenVerdict | undefined; nowMs: number; timeoutMs: number }): CheckResult {
  const { serial, claims, edge } = o;
  if (!claims.ok) return check("device_token", "fail", "token_invalid", `The device token is not a JWT (${claims.reason}).`, REPROVISION);
  const details = { issuer: claims.iss ?? null, subject: claims.sub ?? null, expiresAt: claims.exp ? new Date(claims.exp * 1000).toISOString() : null };
  // What the token itself says, checked first: it explains an edge refusal in the camera's terms.
  if (claims.sub !== undefined && claims.sub !== serial) {
    return check("device_token", "fail", "token_wrong_serial", `The device token is for ${claims.sub}, but this camera runs as ${serial}.`,
      `Use the token issued for ${serial}, or run with --serial ${claims.sub} if that is this camera's label.`, details);
  }
  if (!claims.aud.includes(DEVICE_TOKEN_AUDIENCE)) {
    return check("device_token", "fail", "token_invalid", `The token is not a device token (audience ${claims.aud.join(", ") || "missing"}, expected ${DEVICE_TOKEN_AUDIENCE}).`, REPROVISION, details);
  }
  const expired = claims.exp !== undefined && claims.exp * 1000 <= o.nowMs;
  if (expired) return check("device_token", "fail", "token_expired", `The device token expired on ${details.expiresAt}.`, REPROVISION, details);

  if (!edge) return check("device_token", "skip", "skipped", "Not checked with the edge: the edge could not be reached.", undefined, details);
  if (edge.kind === "unreachable") {
    return check("device_token", "warn", "token_unchecked", `Could not ask the edge about the token: ${describeNetError(edge.error, o.timeoutMs)}.`, "See the edge checks above.", details);
  }
  if (edge.kind === "refused") return refusal(edge, serial, details);
  const daysLeft = claims.exp === undefined ? Infinity : (claims.exp * 1000 - o.nowMs) / 86_400_000;
  if (daysLeft < TOKEN_EXPIRY_WARN_DAYS) {
    return check("device_token", "warn", "token_expiring", `The edge accepts the device token, but it expires in ${Math.max(1, Math.round(daysLeft * 24))} h (${details.expiresAt}).`, REPROVISION, details);
  }
  return check("device_token", "pass", "ok", `The edge accepts the device token for ${serial}${claims.exp ? ` (valid until ${details.expiresAt!.slice(0, 10)})` : ""}.`, undefined, details);
}

/** Unknown-key refusals are device_token_invalid with the edge's reason (worker/src/auth/vendor-key.ts). */
const UNKNOWN_KEY = /key id is not one of|not a registered vendor|rotated out|no valid signing key|SIGNATURE_VERIFICATION_FAILED|ALG_NOT_ALLOWED/i;

function refusal(edge: Extract<EdgeTokenVerdict, { kind: "refused" }>, serial: string, details: Record<string, string | null>): CheckResult {
  const d = { ...details, edgeCode: edge.code };
  switch (edge.code) {
    case "device_revoked":
      return check("device_token", "fail", "token_revoked", `The camera ${serial} has been revoked by its vendor; the edge refuses it for good.`,
        "Revocation cannot be undone: contact the vendor. If this is a replacement unit, it needs its own serial and token.", d);
    case "device_token_expired":
      return check("device_token", "fail", "token_expired", "The edge says the device token has expired.", REPROVISION, d);
    case "device_serial_mismatch":
      return check("device_token", "fail", "token_wrong_serial", `The edge says the token does not belong to ${serial} (${edge.message})`, `Use the token issued for ${serial}.`, d);
    case "device_not_found":
      return check("device_token", "fail", "token_unknown_device", `The edge has no camera with the serial ${serial}.`, "Check --serial against the label; the vendor may not have provisioned it on this edge.", d);
    case "device_token_invalid":
      if (/superseded/i.test(edge.message)) {
        return check("device_token", "fail", "token_superseded", "The camera was given a newer device token; this one no longer works.", "Install the newest token the vendor issued for this camera.", d);
      }
      if (UNKNOWN_KEY.test(edge.message)) {
        return check("device_token", "fail", "token_unknown_key", `The edge does not know the key that signed this token (${edge.message})`,
          "The token was signed by a vendor key this edge does not have, or one that was rotated out. Ask the vendor for a token signed with its current key.", d);
      }
      return check("device_token", "fail", "token_invalid", `The edge refuses the device token: ${edge.message}`, REPROVISION, d);
    default:
      if (edge.status === 404 && edge.code === "not_found") {
        return check("device_token", "warn", "token_unchecked", "The edge is too old to check a token for the doctor; only the token's own dates were checked.", "Update the edge.", d);
      }
      return check("device_token", "fail", "token_invalid", `The edge refused the token: HTTP ${edge.status} ${edge.code}: ${edge.message}`, REPROVISION, d);
  }
}
