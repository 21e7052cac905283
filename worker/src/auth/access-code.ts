// Why: the access code printed on the camera label is the viewer's only secret. It is shown
// once at provisioning and stored as a salted PBKDF2-SHA256 hash (RFC 8018 §5.2) so a D1 leak
// does not reveal it.
import { base64url, fromBase64url, randomBytes, randomString } from "../random.ts";
import { constantTimeEqual } from "./constant-time.ts";

/** No 0/O, 1/I/L: codes are read off a sticker and typed on a phone. */
export const ACCESS_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const ACCESS_CODE_LENGTH = 10; // ~49.5 bits; online guessing is rate limited.
/** workerd caps PBKDF2 at 100 000 iterations. */
export const PBKDF2_ITERATIONS = 100_000;
const PREFIX = "pbkdf2-sha256";

export function generateAccessCode(): string {
  return randomString(ACCESS_CODE_ALPHABET, ACCESS_CODE_LENGTH);
}

/** Codes are case-insensitive and may be typed with spaces or dashes. */
export function normalizeAccessCode(code: string): string {
  return code.replace(/[\s-]+/g, "").toUpperCase();
}

async function pbkdf2(code: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(normalizeAccessCode(code)), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>` with base64url salt and hash. */
export async function hashAccessCode(code: string, iterations: number = PBKDF2_ITERATIONS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await pbkdf2(code, salt, iterations);
  return `${PREFIX}$${iterations}$${base64url(salt)}$${base64url(hash)}`;
}

/** True when `code` matches `stored`. A malformed stored hash never matches. */
export async function verifyAccessCode(code: string, stored: string): Promise<boolean> {
  const [prefix, iter, salt, hash] = stored.split("$");
  const iterations = Number(iter);
  if (prefix !== PREFIX || !salt || !hash || !Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) {
    return false;
  }
  const actual = await pbkdf2(code, fromBase64url(salt), iterations);
  return constantTimeEqual(actual, fromBase64url(hash));
}
