// Why: a vendor's signing key is what makes a serial unforgeable (the Kalay lesson: an ID alone
// must never be enough). The CLI creates it once, keeps the private half on the vendor's side
// only (0600, gitignored), and registers just the public half with the edge.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { VendorAlgorithm } from "../../protocol/index.ts";

export interface VendorKey {
  name: string;
  alg: VendorAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** Where the private key lives on disk. */
  file: string;
  /** True when this call created the key. */
  created: boolean;
}

interface KeyFile {
  name: string;
  alg: VendorAlgorithm;
  privateJwk: JWK;
}

export function vendorKeyPath(dir: string, name: string): string {
  return path.join(dir, `${name}.private.jwk.json`);
}

/** Loads the vendor's key from `dir`, creating an ES256 (or EdDSA) key pair on first use. */
export async function loadOrCreateVendorKey(dir: string, name: string, alg: VendorAlgorithm = "ES256"): Promise<VendorKey> {
  const file = vendorKeyPath(dir, name);
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as KeyFile;
    if (saved.name !== name || (saved.alg !== "ES256" && saved.alg !== "EdDSA")) {
      throw new Error(`${file} is not a Porthole vendor key for ${name}`);
    }
    const privateKey = (await importJWK(saved.privateJwk, saved.alg)) as CryptoKey;
    return { name, alg: saved.alg, privateKey, publicJwk: publicPart(saved.privateJwk), file, created: false };
  }
  const pair = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
  const privateJwk = await exportJWK(pair.privateKey);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ name, alg, privateJwk } satisfies KeyFile, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return { name, alg, privateKey: pair.privateKey, publicJwk: publicPart(privateJwk), file, created: true };
}

/** The public members only (RFC 7517 §4, RFC 7518 §6.2.1 / RFC 8037 §2). */
function publicPart(jwk: JWK): JWK {
  return jwk.kty === "OKP" ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x } : { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}
