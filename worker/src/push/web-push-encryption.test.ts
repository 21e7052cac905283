import { describe, expect, it } from "vitest";
import { base64url, fromBase64url } from "../random.ts";
import { encryptPushPayload, publicJwkFromRaw } from "./web-push-encryption.ts";

// RFC 8291 §5 (Push Message Encryption Example), the values as the RFC prints them.
const RFC8291 = {
  plaintext: "When I grow up, I want to be a watermelon",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  authSecret: "BTBZMqHH6r4Tts7J_aSIgg",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  body:
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

describe("RFC 8291 message encryption", () => {
  it("encrypts the RFC 8291 §5 example to exactly the RFC's aes128gcm body", async () => {
    const publicRaw = fromBase64url(RFC8291.asPublic);
    const body = await encryptPushPayload(new TextEncoder().encode(RFC8291.plaintext), { p256dh: RFC8291.uaPublic, auth: RFC8291.authSecret }, {
      salt: fromBase64url(RFC8291.salt),
      serverKeys: { privateJwk: { ...publicJwkFromRaw(publicRaw), d: RFC8291.asPrivate }, publicRaw },
    });
    expect(base64url(body)).toBe(RFC8291.body);
  });

  it("uses a fresh salt and server key for every message, so two bodies for one payload differ", async () => {
    const keys = { p256dh: RFC8291.uaPublic, auth: RFC8291.authSecret };
    const a = await encryptPushPayload(new TextEncoder().encode("same"), keys);
    const b = await encryptPushPayload(new TextEncoder().encode("same"), keys);
    expect(base64url(a.slice(0, 16))).not.toBe(base64url(b.slice(0, 16)));
    expect(base64url(a.slice(21, 86))).not.toBe(base64url(b.slice(21, 86)));
    // Header (21) + key id (65) + plaintext (4) + delimiter (1) + GCM tag (16).
    expect(a.length).toBe(21 + 65 + 4 + 1 + 16);
  });

  it("refuses an auth secret that is not 16 bytes", async () => {
    await expect(encryptPushPayload(new Uint8Array(1), { p256dh: RFC8291.uaPublic, auth: "AAAA" })).rejects.toThrow(/16 bytes/);
  });
});
