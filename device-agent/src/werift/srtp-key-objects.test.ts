// The patched SRTP path must be werift's own, byte for byte: same ciphertext and tag for RTP and
// RTCP under both profiles werift negotiates, and each side decrypts what the other protected.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ProtectionProfileAeadAes128Gcm, ProtectionProfileAes128CmHmacSha1_80, RtpHeader, SrtpSession } from "werift";
import { installSrtpKeyObjects, SRTP_CIPHER_METHODS, srtpCipherPrototypes, usesKeyObjects } from "./srtp-key-objects.ts";

type Method = (...args: unknown[]) => unknown;
// werift's original methods, taken before the patch is installed (the install is process-wide).
const originals = new Map(srtpCipherPrototypes().map(({ profile, proto }) => [profile, Object.fromEntries(SRTP_CIPHER_METHODS.map((m) => [m, proto[m] as Method]))]));
installSrtpKeyObjects();

const PROFILES = [
  { name: "AEAD_AES_128_GCM (RFC 7714)", profile: ProtectionProfileAeadAes128Gcm, saltLength: 12 },
  { name: "AES_CM_128_HMAC_SHA1_80 (RFC 3711)", profile: ProtectionProfileAes128CmHmacSha1_80, saltLength: 14 },
];

function twoCiphers(profile: number, saltLength: number) {
  const keys = { localMasterKey: randomBytes(16), localMasterSalt: randomBytes(saltLength), remoteMasterKey: randomBytes(16), remoteMasterSalt: randomBytes(saltLength) };
  const cipherOf = () => (new SrtpSession({ profile, keys }) as unknown as { localContext: { cipher: Record<string, Method> } }).localContext.cipher;
  return { original: cipherOf(), patched: cipherOf() };
}

/** A Receiver Report with one report block (RFC 3550 §6.4.2). */
function receiverReport(): Buffer {
  const rr = randomBytes(32);
  rr[0] = 0x81;
  rr[1] = 201;
  rr.writeUInt16BE(7, 2);
  return rr;
}

describe.each(PROFILES)("SRTP with KeyObject keys, $name", ({ profile, saltLength }) => {
  const original = originals.get(profile)!;

  it("protects RTP exactly as werift's original path, and each decrypts the other's packets", () => {
    const { original: a, patched: b } = twoCiphers(profile, saltLength);
    for (const [sequenceNumber, roc] of [[1, 0], [2, 0], [65535, 0], [0, 1], [4711, 3]] as const) {
      const header = new RtpHeader({ sequenceNumber, timestamp: (90_000 * sequenceNumber) >>> 0, payloadType: 96, ssrc: 0x1234_5678, marker: sequenceNumber % 2 === 0 });
      const payload = randomBytes(1188);
      const byOriginal = original.encryptRtp!.call(a, header, payload, roc) as Buffer;
      const byPatched = b.encryptRtp!(header, payload, roc) as Buffer;
      expect(byPatched.equals(byOriginal)).toBe(true);
      const [plainByPatched] = b.decryptRtp!(byOriginal, roc) as [Buffer];
      const [plainByOriginal] = original.decryptRtp!.call(a, byPatched, roc) as [Buffer];
      expect(plainByPatched.subarray(12).equals(payload)).toBe(true);
      expect(plainByOriginal.equals(plainByPatched)).toBe(true);
    }
    expect(usesKeyObjects(b)).toBe(true);
    expect(usesKeyObjects(a)).toBe(false);
  });

  it("protects RTCP exactly as werift's original path, and each decrypts the other's packets", () => {
    const { original: a, patched: b } = twoCiphers(profile, saltLength);
    for (const index of [1, 2, 0x7fff_fffe]) {
      const rtcp = receiverReport();
      const byOriginal = original.encryptRTCP!.call(a, rtcp, index) as Buffer;
      const byPatched = b.encryptRTCP!(rtcp, index) as Buffer;
      expect(byPatched.equals(byOriginal)).toBe(true);
      const [plainByPatched] = b.decryptRTCP!(byOriginal) as [Buffer];
      const [plainByOriginal] = original.decryptRTCP!.call(a, byPatched) as [Buffer];
      expect(plainByPatched.equals(rtcp)).toBe(true);
      expect(plainByOriginal.equals(rtcp)).toBe(true);
    }
  });

  it("still refuses a tampered packet", () => {
    const { patched: b } = twoCiphers(profile, saltLength);
    const header = new RtpHeader({ sequenceNumber: 7, timestamp: 1, payloadType: 96, ssrc: 1 });
    const packet = Buffer.from(b.encryptRtp!(header, randomBytes(100), 0) as Buffer);
    packet[20]! ^= 1;
    expect(() => b.decryptRtp!(packet, 0)).toThrow();
  });
});
