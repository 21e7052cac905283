// Why: a vendor's signing key is what makes a serial unforgeable (the Kalay lesson: an ID alone
// must never be enough). The CLI creates it once, keeps the private half on the vendor's side
// only (0600, gitignored), and registers just the public half with the edge.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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
  /** The edge's key id, once known (absent: the vendor's first key, `<vendorId>-k1`). */
  kid?: string;
}

interface KeyFile {
  name: string;
  alg: VendorAlgorithm;
  privateJwk: JWK;
  kid?: string;
}

/** The key id to put in JWT headers (RFC 7515 §4.1.4) so the edge picks the key directly. */
export function kidOf(key: VendorKey, vendorId: string): string {
  return key.kid ?? `${vendorId}-k1`;
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
    return { name, alg: saved.alg, privateKey, publicJwk: publicPart(saved.privateJwk), file, created: false, ...(saved.kid ? { kid: saved.kid } : {}) };
  }
  const key = await generateVendorKey(file, name, alg);
  writeKeyFile(file, key.saved);
  return key.key;
}

/** A new key pair kept in memory until it is written (rotation writes it only once registered). */
export async function generateVendorKey(file: string, name: string, alg: VendorAlgorithm): Promise<{ key: VendorKey; saved: KeyFile }> {
  const pair = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
  const privateJwk = await exportJWK(pair.privateKey);
  return {
    key: { name, alg, privateKey: pair.privateKey, publicJwk: publicPart(privateJwk), file, created: true },
    saved: { name, alg, privateJwk },
  };
}

function writeKeyFile(file: string, saved: KeyFile): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * Rotation on disk, after the edge accepted the new key: the old key moves to
 * `<name>.<oldKid>.private.jwk.json` (kept: tokens signed with it stay valid until its date,
 * and it is the only proof of them), the new one takes the main file with its kid.
 */
export function installRotatedKey(dir: string, name: string, oldKid: string, next: { saved: KeyFile }, newKid: string): string {
  const file = vendorKeyPath(dir, name);
  const archive = path.join(dir, `${name}.${oldKid}.private.jwk.json`);
  const pending = path.join(dir, `${name}.pending.private.jwk.json`);
  writeKeyFile(pending, { ...next.saved, kid: newKid });
  renameSync(file, archive);
  renameSync(pending, file);
  return archive;
}

/** The public members only (RFC 7517 §4, RFC 7518 §6.2.1 / RFC 8037 §2). */
function publicPart(jwk: JWK): JWK {
  return jwk.kty === "OKP" ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x } : { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}
