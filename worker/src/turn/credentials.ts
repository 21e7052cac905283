// Why: coturn checks TURN credentials on its own, with a secret it shares with the edge, so the
// edge can hand out per-session credentials without a database (draft-uberti-behave-turn-rest-00
// §2.2: username "<expiry>:<id>", password base64(HMAC-SHA1(secret, username))).

/** Lifetime of minted credentials. coturn keeps an allocation that authenticated in time alive past it. */
export const TURN_CREDENTIAL_TTL_SECONDS = 600;

export interface TurnCredential {
  username: string;
  credential: string;
  /** Unix seconds after which coturn answers 401 to a new Allocate. */
  expiresAt: number;
}

/**
 * Mints a TURN REST credential for `id` (a session id, or `<sessionId>.cam` for the camera side),
 * valid `ttlSeconds` from `nowMs`.
 */
export async function mintTurnCredential(secret: string, id: string, nowMs: number, ttlSeconds = TURN_CREDENTIAL_TTL_SECONDS): Promise<TurnCredential> {
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${id}`;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(username)));
  return { username, credential: btoa(String.fromCharCode(...mac)), expiresAt };
}
