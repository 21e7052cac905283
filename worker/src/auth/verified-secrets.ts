// Why: a label's access code is checked with PBKDF2 at 100 000 iterations (pbkdf2.ts) — tens of
// ms of CPU on every session a code viewer starts, on the path to the first frame, and billed.
// A code that was right a moment ago is right again until its camera's code changes, so this
// isolate remembers, for a few minutes, the (stored hash, code) pairs it has seen match.
// Only matches are remembered: every wrong guess still pays the full PBKDF2 (and the throttle).
// The key is an HMAC under a random per-isolate key, never the code or a plain fast hash of it
// (a ~50-bit code under plain SHA-256 would be cheap to search if this memory ever leaked), and
// it covers the stored hash, so a rotated code (a new salt and hash) is never found here.

/** How long a match is remembered. */
export const VERIFIED_TTL_MS = 10 * 60_000;
/** Entries kept per isolate (oldest dropped first). */
export const VERIFIED_MAX = 512;

export type Verify = (secret: string, stored: string) => Promise<boolean>;

export interface VerifiedSecrets {
  /** `verify(secret, stored)`, or true at once for a pair that matched within VERIFIED_TTL_MS. */
  check(secret: string, stored: string, verify: Verify, now?: number): Promise<boolean>;
  readonly size: number;
}

export function createVerifiedSecrets(): VerifiedSecrets {
  const entries = new Map<string, number>();
  let key: Promise<CryptoKey> | undefined;
  const digest = async (secret: string, stored: string): Promise<string> => {
    key ??= crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]) as Promise<CryptoKey>;
    const mac = await crypto.subtle.sign("HMAC", await key, new TextEncoder().encode(`${stored}\u0000${secret}`));
    return btoa(String.fromCharCode(...new Uint8Array(mac)));
  };
  return {
    async check(secret, stored, verify, now = Date.now()) {
      const id = await digest(secret, stored);
      const until = entries.get(id);
      if (until !== undefined && until > now) return true;
      entries.delete(id);
      const ok = await verify(secret, stored);
      if (ok) {
        entries.set(id, now + VERIFIED_TTL_MS);
        for (const oldest of entries.keys()) {
          if (entries.size <= VERIFIED_MAX) break;
          entries.delete(oldest);
        }
      }
      return ok;
    },
    get size() {
      return entries.size;
    },
  };
}
