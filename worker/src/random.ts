// Why: every random identifier and secret the edge makes comes from WebCrypto's CSPRNG, here.

/** base64url without padding (RFC 4648 §5). */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function fromBase64url(text: string): Uint8Array {
  const b64 = text.replaceAll("-", "+").replaceAll("_", "/");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** 128-bit id, 22 base64url chars: fits SessionIdSchema. */
export function newSessionId(): string {
  return base64url(randomBytes(16));
}

/** Opaque vendor id (`v_` + 96 random bits). */
export function newVendorId(): string {
  return `v_${base64url(randomBytes(12))}`;
}

/** Id of one WebSocket inside the hub (not secret, only unique). */
export function newConnId(): string {
  return base64url(randomBytes(9));
}

/**
 * `length` characters drawn uniformly from `alphabet` (rejection sampling, so no modulo bias).
 */
export function randomString(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < limit) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Opaque user id (`u_` + 128 random bits): fits UserIdSchema. */
export function newUserId(): string {
  return `u_${base64url(randomBytes(16))}`;
}
