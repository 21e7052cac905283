// Why: access codes and passwords are both stored as salted PBKDF2-SHA256 hashes (RFC 8018
// §5.2) in one self-describing format, so a D1 leak reveals neither and the cost can be raised
// later without breaking stored hashes.
import { base64url, fromBase64url, randomBytes } from "../random.ts";
import { constantTimeEqual } from "./constant-time.ts";

/** workerd caps PBKDF2 at 100 000 iterations. */
export const PBKDF2_ITERATIONS = 100_000;
const PREFIX = "pbkdf2-sha256";
const SALT_BYTES = 16;

async function derive(secret: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>` with a fresh 16-byte salt, base64url salt and hash. */
export async function pbkdf2Hash(secret: string, iterations: number = PBKDF2_ITERATIONS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(secret, salt, iterations);
  return `${PREFIX}$${iterations}$${base64url(salt)}$${base64url(hash)}`;
}

/** True when `secret` matches `stored` (constant-time compare). A malformed stored hash never matches. */
export async function pbkdf2Verify(secret: string, stored: string): Promise<boolean> {
  const [prefix, iter, salt, hash] = stored.split("$");
  const iterations = Number(iter);
  if (prefix !== PREFIX || !salt || !hash || !Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) {
    return false;
  }
  const actual = await derive(secret, fromBase64url(salt), iterations);
  return constantTimeEqual(actual, fromBase64url(hash));
}
