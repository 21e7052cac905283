// Why: the edge's public key is what the agent checks grants with. Pinning it (a file or JSON
// given at install time) is preferred; otherwise the agent fetches it once from the edge at
// startup and trusts that answer from then on (trust on first use, logged as such).
import { importJWK, type CryptoKey, type JWK } from "jose";

/** Members only private or symmetric keys have (RFC 7518 §6.2.2, §6.4.1). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"];

/** Picks the ES256 signing key from a JWKS (RFC 7517 §5) or a bare JWK; refuses anything else. */
export function pickEdgeJwk(json: unknown): JWK {
  const candidates: unknown[] =
    json && typeof json === "object" && Array.isArray((json as { keys?: unknown }).keys) ? (json as { keys: unknown[] }).keys : [json];
  for (const c of candidates) {
    if (!c || typeof c !== "object") continue;
    const k = c as JWK;
    if (k.kty !== "EC" || k.crv !== "P-256" || typeof k.x !== "string" || typeof k.y !== "string") continue;
    if (k.use !== undefined && k.use !== "sig") continue;
    if (k.alg !== undefined && k.alg !== "ES256") continue;
    if (PRIVATE_MEMBERS.some((m) => m in k)) throw new Error("the edge JWKS contains a private key; give only the public key");
    return { kty: k.kty, crv: k.crv, x: k.x, y: k.y };
  }
  throw new Error("no EC P-256 (ES256) signing key in the edge JWKS");
}

export async function importEdgeKey(jwk: JWK): Promise<CryptoKey> {
  return (await importJWK(jwk, "ES256")) as CryptoKey;
}

/** Reads `--edge-jwks`: inline JSON if it starts with `{`, else a file path. */
export function readEdgeJwksArg(value: string, readFile: (p: string) => string): JWK {
  const text = value.trimStart().startsWith("{") ? value : readFile(value);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("the edge JWKS is not JSON");
  }
  return pickEdgeJwk(json);
}

/** Fetches `${edge}/api/edge/jwks` (trust on first use). */
export async function fetchEdgeJwk(edge: string, fetchImpl: typeof fetch = fetch): Promise<JWK> {
  const url = new URL("/api/edge/jwks", edge.replace(/^ws/, "http"));
  const res = await fetchImpl(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${url.pathname} answered ${res.status}`);
  return pickEdgeJwk(await res.json());
}
