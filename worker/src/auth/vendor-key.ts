// Why: a vendor registers public keys (one current, older ones valid until a date while it
// rotates); the edge derives the only algorithm it will accept from each key's type
// (RFC 8725 §3.1: never let the token header pick the algorithm).
import { decodeProtectedHeader, errors, importJWK, jwtVerify, type CryptoKey, type JWK, type JWTPayload, type JWTVerifyOptions } from "jose";
import type { ErrorCode, VendorAlgorithm } from "../../../protocol/index.ts";
import type { Db } from "../db/client.ts";
import type { VendorKeyRow, VendorRow } from "../db/schema.ts";
import { findVendorKey, validVendorKeys } from "../db/vendor-keys.ts";
import { PortholeError } from "../errors.ts";

/** JWK members that only private or symmetric keys have (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const B64URL_32_BYTES = /^[A-Za-z0-9_-]{43}$/;

export interface VendorPublicKey {
  alg: VendorAlgorithm;
  /** Only the public members, in a fixed order, so equal keys compare equal as JSON. */
  jwk: JWK;
}

/** Validates a submitted public JWK; throws bad_request with the reason. */
export async function parseVendorPublicJwk(input: Record<string, unknown>): Promise<VendorPublicKey> {
  const priv = PRIVATE_MEMBERS.filter((m) => m in input);
  if (priv.length) throw PortholeError.badRequest(`publicJwk must not contain private members (${priv.join(", ")})`);
  const { kty, crv, x, y } = input;
  let key: VendorPublicKey;
  if (kty === "EC" && crv === "P-256") {
    if (typeof x !== "string" || typeof y !== "string" || !B64URL_32_BYTES.test(x) || !B64URL_32_BYTES.test(y)) {
      throw PortholeError.badRequest("an EC P-256 key needs base64url x and y of 32 bytes");
    }
    key = { alg: "ES256", jwk: { kty, crv, x, y } };
  } else if (kty === "OKP" && crv === "Ed25519") {
    if (typeof x !== "string" || !B64URL_32_BYTES.test(x)) {
      throw PortholeError.badRequest("an OKP Ed25519 key needs a base64url x of 32 bytes");
    }
    key = { alg: "EdDSA", jwk: { kty, crv, x } };
  } else {
    throw PortholeError.badRequest("publicJwk must be EC P-256 (ES256) or OKP Ed25519 (EdDSA)");
  }
  // Importing checks the point is on the curve.
  try {
    await importJWK(key.jwk, key.alg);
  } catch (cause) {
    throw new PortholeError("bad_request", "publicJwk is not a valid public key", { cause });
  }
  return key;
}

const keyCache = new Map<string, CryptoKey>();

/** Imports a stored vendor key, cached per isolate by its JSON. */
export async function importVendorKey(publicJwk: string, alg: VendorAlgorithm): Promise<CryptoKey> {
  const cacheKey = `${alg}:${publicJwk}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const key = (await importJWK(JSON.parse(publicJwk) as JWK, alg)) as CryptoKey;
  if (keyCache.size > 256) keyCache.clear();
  keyCache.set(cacheKey, key);
  return key;
}

/**
 * Verifies a JWT the vendor signed. The header's `kid` (RFC 7515 §4.1.4) picks the key when
 * present — it must be this vendor's and not past its valid_until; without a kid (tokens minted
 * before rotation existed) every key of the vendor still valid now is tried. Each key is
 * checked with its own algorithm only. jose errors propagate for the caller to map.
 */
export async function verifyVendorSigned(
  d: Db,
  token: string,
  vendor: VendorRow,
  options: Omit<JWTVerifyOptions, "algorithms">,
  invalid: ErrorCode,
): Promise<JWTPayload> {
  const now = options.currentDate ?? new Date();
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new PortholeError(invalid, "The token header is not valid.");
  }
  let keys: VendorKeyRow[];
  if (kid !== undefined) {
    const row = typeof kid === "string" && kid.length <= 128 ? await findVendorKey(d, kid) : undefined;
    if (!row || row.vendorId !== vendor.id) throw new PortholeError(invalid, "The token's key id is not one of this vendor's keys.");
    if (row.validUntil && row.validUntil.getTime() <= now.getTime()) {
      throw new PortholeError(invalid, `The vendor key ${row.kid} was rotated out on ${row.validUntil.toISOString()}.`);
    }
    keys = [row];
  } else {
    keys = await validVendorKeys(d, vendor.id, now);
    if (keys.length === 0) throw new PortholeError(invalid, "This vendor has no valid signing key.");
  }
  let lastError: unknown;
  for (const k of keys) {
    try {
      const key = await importVendorKey(k.publicJwk, k.alg);
      const { payload } = await jwtVerify(token, key, { ...options, algorithms: [k.alg] });
      return payload;
    } catch (err) {
      // Another key may have signed it; any other failure (expired, audience…) is final.
      if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JOSEAlgNotAllowed) {
        lastError = err;
        continue;
      }
      throw err;
    }
  }
  throw lastError;
}
