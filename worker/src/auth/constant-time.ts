// Why: comparing secrets with `===` leaks how many leading bytes matched through timing.
// Hashing both sides first gives equal lengths, which timingSafeEqual requires.

const encoder = new TextEncoder();

/** True when `a` and `b` are equal, in time independent of where they differ. */
export async function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", typeof a === "string" ? encoder.encode(a) : a),
    crypto.subtle.digest("SHA-256", typeof b === "string" ? encoder.encode(b) : b),
  ]);
  // Workers' non-standard WebCrypto extension.
  return crypto.subtle.timingSafeEqual(da, db);
}
