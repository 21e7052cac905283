// Why: werift protects every RTP packet with a new Node cipher (createCipheriv per packet: SRTP's
// IV changes per packet, RFC 3711 §4.1.1 / RFC 7714 §8.1) and hands it the session key as a
// Buffer. Node then validates the Buffer as a possible KeyObject on every call, which cost more
// than the AES itself: 64 µs per 1200-byte AES-GCM packet with a Buffer key, 24 µs with a
// KeyObject (bench:agent's profile: ~20 % of the agent's busy time per viewer). We turn each SRTP
// cipher's session keys (RTP and RTCP, and the HMAC-SHA1 keys of AES-CM, RFC 3711 §4.2) into
// KeyObjects once, before its first use. The algorithm, IVs and output are werift's own, byte
// for byte (srtp-key-objects.test.ts).
import { createSecretKey, KeyObject } from "node:crypto";
import { ProtectionProfileAeadAes128Gcm, ProtectionProfileAes128CmHmacSha1_80, SrtpSession } from "werift";

/** werift's SRTP cipher fields holding a key (CipherAesBase, CipherAesCtr). */
export const SRTP_KEY_FIELDS = ["srtpSessionKey", "srtcpSessionKey", "srtpSessionAuthTag", "srtcpSessionAuthTag"] as const;
/** werift's SRTP cipher methods that use those keys. */
export const SRTP_CIPHER_METHODS = ["encryptRtp", "decryptRtp", "encryptRTCP", "decryptRTCP"] as const;

type Cipher = Record<string | symbol, unknown>;
type Method = (this: Cipher, ...args: unknown[]) => unknown;

const MARK = Symbol.for("porthole.srtp-key-objects");
const converted = new WeakSet<object>();

/** werift's SRTP cipher classes (CipherAesGcm, CipherAesCtr: not exported) by profile, from a real session. */
export function srtpCipherPrototypes(): { profile: number; name: string; proto: Cipher }[] {
  return [
    { profile: ProtectionProfileAeadAes128Gcm, saltLength: 12 },
    { profile: ProtectionProfileAes128CmHmacSha1_80, saltLength: 14 },
  ].map(({ profile, saltLength }) => {
    const key = Buffer.alloc(16, 1);
    const salt = Buffer.alloc(saltLength, 2);
    const session = new SrtpSession({ profile, keys: { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt } });
    const cipher = (session as unknown as { localContext: { cipher: object } }).localContext.cipher;
    const proto = Object.getPrototypeOf(cipher) as Cipher;
    return { profile, name: (proto.constructor as { name: string }).name, proto };
  });
}

function useKeyObjects(cipher: Cipher): void {
  converted.add(cipher);
  for (const field of SRTP_KEY_FIELDS) {
    const value = cipher[field];
    if (Buffer.isBuffer(value) && value.length > 0) cipher[field] = createSecretKey(value);
  }
}

export function installSrtpKeyObjects(): void {
  for (const { proto } of srtpCipherPrototypes()) {
    if (proto[MARK]) continue;
    for (const name of SRTP_CIPHER_METHODS) {
      const original = proto[name];
      if (typeof original !== "function") throw new Error(`werift internals changed (${name}): review device-agent/src/werift/srtp-key-objects.ts`);
      proto[name] = function (this: Cipher, ...args: unknown[]) {
        if (!converted.has(this)) useKeyObjects(this);
        return (original as Method).apply(this, args);
      };
    }
    proto[MARK] = true;
  }
}

/** Whether `cipher`'s keys are KeyObjects now (tests). */
export const usesKeyObjects = (cipher: object): boolean => (cipher as Cipher).srtpSessionKey instanceof KeyObject;
