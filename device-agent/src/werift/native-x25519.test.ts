import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { RTCPeerConnection } from "werift";
import { installNativeX25519, nativeBoxKeyPair, nativeScalarMult, originalX25519 } from "./native-x25519.ts";
import { installWeriftShims } from "./werift-shims.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("native X25519 for werift's DTLS", () => {
  it("computes RFC 7748 §6.1's shared secret from both sides' keys", () => {
    const alicePriv = Buffer.from("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", "hex");
    const bobPub = Buffer.from("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", "hex");
    expect(hex(nativeScalarMult(alicePriv, bobPub))).toBe("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  });

  it("gives the same bytes as tweetnacl for random keys, both ways", () => {
    const original = originalX25519();
    for (let i = 0; i < 20; i++) {
      const a = nativeBoxKeyPair();
      const b = original.keyPair();
      // The native key pair is consistent with tweetnacl's public-key derivation.
      expect(hex(original.scalarMult.base(a.secretKey))).toBe(hex(a.publicKey));
      expect(hex(nativeScalarMult(a.secretKey, b.publicKey))).toBe(hex(original.scalarMult(a.secretKey, b.publicKey)));
      expect(hex(nativeScalarMult(b.secretKey, a.publicKey))).toBe(hex(nativeScalarMult(a.secretKey, b.publicKey)));
      // Unclamped random scalars and a u-coordinate with its top bit set, as a peer may send.
      const n = randomBytes(32);
      const u = randomBytes(32);
      u[31] = u[31]! | 0x80;
      expect(hex(nativeScalarMult(n, u))).toBe(hex(original.scalarMult(n, u)));
    }
  });

  it("refuses a small-order public key instead of keying DTLS with zeros", () => {
    expect(() => nativeScalarMult(randomBytes(32), new Uint8Array(32))).toThrow();
  });

  it("is what werift's tweetnacl instance calls once installed, and a werift handshake still connects", async () => {
    installWeriftShims();
    installNativeX25519();
    const nacl = createRequire(import.meta.resolve("werift"))("tweetnacl") as { box: { keyPair: unknown }; scalarMult: (n: Uint8Array, p: Uint8Array) => Uint8Array };
    expect(nacl.box.keyPair).not.toBe(originalX25519().keyPair);
    // Count what werift calls: the native function, through the module object werift imports.
    const installed = nacl.scalarMult;
    const seen: string[] = [];
    nacl.scalarMult = (n, p) => {
      const out = installed(n, p);
      seen.push(hex(out));
      expect(hex(out)).toBe(hex(nativeScalarMult(n, p)));
      return out;
    };
    // Two werift peers on loopback: DTLS (x25519 is the first curve werift's client offers) must complete.
    const a = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ["127.0.0.1"] });
    const b = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ["127.0.0.1"] });
    try {
      a.onIceCandidate.subscribe((c) => c && void b.addIceCandidate(c.toJSON()));
      b.onIceCandidate.subscribe((c) => c && void a.addIceCandidate(c.toJSON()));
      a.createDataChannel("x");
      const connected = Promise.all([a, b].map((pc) => new Promise<void>((resolve) => pc.connectionStateChange.subscribe((s) => s === "connected" && resolve()))));
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription!);
      await connected;
      // One ECDHE per side (client and server): the DTLS key exchange went through it.
      expect(seen.length).toBe(2);
      expect(seen[0]).toBe(seen[1]);
    } finally {
      nacl.scalarMult = installed;
      await Promise.all([a.close(), b.close()]);
    }
  }, 20_000);
});
