// Why: the access code printed on the camera label is the viewer's only secret. It is shown
// once at provisioning and stored as a salted PBKDF2-SHA256 hash (pbkdf2.ts) so a D1 leak
// does not reveal it.
import { randomString } from "../random.ts";
import { PBKDF2_ITERATIONS, pbkdf2Hash, pbkdf2Verify } from "./pbkdf2.ts";
import { createVerifiedSecrets } from "./verified-secrets.ts";

export { PBKDF2_ITERATIONS } from "./pbkdf2.ts";

/** No 0/O, 1/I/L: codes are read off a sticker and typed on a phone. */
export const ACCESS_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const ACCESS_CODE_LENGTH = 10; // ~49.5 bits; online guessing is rate limited.

export function generateAccessCode(): string {
  return randomString(ACCESS_CODE_ALPHABET, ACCESS_CODE_LENGTH);
}

/** Codes are case-insensitive and may be typed with spaces or dashes. */
export function normalizeAccessCode(code: string): string {
  return code.replace(/[\s-]+/g, "").toUpperCase();
}

export function hashAccessCode(code: string, iterations: number = PBKDF2_ITERATIONS): Promise<string> {
  return pbkdf2Hash(normalizeAccessCode(code), iterations);
}

/** Codes this isolate saw match recently (verified-secrets.ts): a repeat view skips PBKDF2. */
const recentlyVerified = createVerifiedSecrets();

/** True when `code` matches `stored`. A malformed stored hash never matches. */
export function verifyAccessCode(code: string, stored: string): Promise<boolean> {
  return recentlyVerified.check(normalizeAccessCode(code), stored, pbkdf2Verify);
}
