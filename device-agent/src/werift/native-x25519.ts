// Why: werift's DTLS does its ECDHE key exchange in JavaScript — X25519 through tweetnacl, the
// curve Chromium and libdatachannel offer first (RFC 8422 §5.1.1, RFC 7748) — which took ~30 ms
// of the camera's CPU per handshake on this machine (a key pair ~16 ms, the shared secret ~14 ms)
// and would take several times that on a camera's ARM core: most of the DTLS phase of time to
// first frame on a LAN. Node's crypto does the same X25519 natively in well under a millisecond.
//
// werift's ESM bundle calls `nacl.box.keyPair()` and `nacl.scalarMult(secret, public)` on the
// tweetnacl module object it imports, the same object `import nacl from "tweetnacl"` gives here,
// so replacing those two functions on it moves werift's X25519 to OpenSSL. The results are the
// same bytes: both clamp the scalar and mask the u-coordinate's top bit (RFC 7748 §5); the test
// compares them with tweetnacl's own on random keys and RFC 7748 §6.1's vector. A shared secret
// of all zeros (a small-order public key, RFC 7748 §6.1) makes OpenSSL throw where tweetnacl
// returned zeros: the handshake then fails instead of keying DTLS with a known secret.
// Nothing else in the agent uses tweetnacl.
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import type naclTypes from "tweetnacl";

// tweetnacl is werift's dependency, not ours: load the very instance werift's bundle imports
// (resolved from werift's own location), so the patch reaches it whatever npm hoists.
const nacl = createRequire(import.meta.resolve("werift"))("tweetnacl") as typeof naclTypes;
type nacl = typeof naclTypes;

/** DER prefixes of an X25519 PKCS#8 private key and SPKI public key around the 32 raw bytes (RFC 8410 §7, §4). */
const PKCS8_X25519 = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_X25519 = Buffer.from("302a300506032b656e032100", "hex");

const MARK = Symbol.for("porthole.native-x25519");

type KeyPairFn = (() => naclTypes.BoxKeyPair) & { fromSecretKey: (secretKey: Uint8Array) => naclTypes.BoxKeyPair };
type Patched = typeof nacl & { [MARK]?: { keyPair: KeyPairFn; scalarMult: typeof nacl.scalarMult } };

/** X25519(scalar, u) through OpenSSL (RFC 7748 §5). */
export function nativeScalarMult(n: Uint8Array, p: Uint8Array): Uint8Array {
  if (n.length !== 32 || p.length !== 32) throw new Error("bad size");
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, n]), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_X25519, p]), format: "der", type: "spki" });
  return new Uint8Array(diffieHellman({ privateKey, publicKey }));
}

/** A fresh X25519 key pair in tweetnacl's shape (raw 32-byte keys). */
export function nativeBoxKeyPair(): naclTypes.BoxKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  const pub = publicKey.export({ format: "der", type: "spki" });
  const priv = privateKey.export({ format: "der", type: "pkcs8" });
  return { publicKey: new Uint8Array(pub.subarray(pub.length - 32)), secretKey: new Uint8Array(priv.subarray(priv.length - 32)) };
}

/** tweetnacl's own functions, kept for the equivalence test. */
export function originalX25519(): { keyPair: () => naclTypes.BoxKeyPair; scalarMult: typeof nacl.scalarMult } {
  const saved = (nacl as Patched)[MARK];
  return saved ?? { keyPair: nacl.box.keyPair, scalarMult: nacl.scalarMult };
}

export function installNativeX25519(): void {
  const lib = nacl as Patched;
  if (lib[MARK]) return;
  if (typeof nacl.box?.keyPair !== "function" || typeof nacl.scalarMult !== "function") {
    throw new Error("tweetnacl changed: review device-agent/src/werift/native-x25519.ts");
  }
  const keyPair = nacl.box.keyPair as KeyPairFn;
  const scalarMult = nacl.scalarMult;
  lib[MARK] = { keyPair, scalarMult };
  const fast = (() => nativeBoxKeyPair()) as KeyPairFn;
  // werift does not use it, but keep tweetnacl's API whole for anything that might.
  fast.fromSecretKey = keyPair.fromSecretKey;
  nacl.box.keyPair = fast;
  const mult = ((n: Uint8Array, p: Uint8Array) => nativeScalarMult(n, p)) as typeof nacl.scalarMult;
  Object.assign(mult, { scalarLength: scalarMult.scalarLength, groupElementLength: scalarMult.groupElementLength, base: scalarMult.base });
  nacl.scalarMult = mult;
}
