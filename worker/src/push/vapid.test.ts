import { importJWK, jwtVerify, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { fromBase64url, base64url } from "../random.ts";
import { VAPID_TTL_SECONDS, vapidAuthorization, vapidKeys, vapidSubject } from "./vapid.ts";

async function privateJwk(): Promise<string> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  return JSON.stringify(await crypto.subtle.exportKey("jwk", pair.privateKey));
}

describe("VAPID (RFC 8292)", () => {
  it("signs a JWT the push service verifies with the k key, for its own origin, expiring within 24 h", async () => {
    const keys = await vapidKeys({ VAPID_PRIVATE_JWK: await privateJwk(), VAPID_SUBJECT: "mailto:ops@example.com" })!;
    const now = Math.floor(Date.now() / 1000);
    const header = await vapidAuthorization(keys, "https://push.example.net/wpush/v2/abc?x=1", now);
    const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header);
    expect(m).not.toBeNull();
    const [, jwt, k] = m as unknown as [string, string, string];
    expect(k).toBe(keys.publicKey);
    const raw = fromBase64url(k);
    expect(raw.length).toBe(65);
    const pub = await importJWK({ kty: "EC", crv: "P-256", x: base64url(raw.slice(1, 33)), y: base64url(raw.slice(33)) }, "ES256");
    const { payload } = await jwtVerify(jwt, pub, { audience: "https://push.example.net" });
    expect(decodeProtectedHeader(jwt)).toEqual({ typ: "JWT", alg: "ES256" });
    expect(payload.sub).toBe("mailto:ops@example.com");
    expect(payload.exp).toBe(now + VAPID_TTL_SECONDS);
    expect(payload.exp! - now).toBeLessThanOrEqual(24 * 3600);
  });

  it("is off without VAPID_PRIVATE_JWK and refuses a public or non-P-256 key", async () => {
    expect(vapidKeys({})).toBeUndefined();
    const { d: _d, ...pub } = JSON.parse(await privateJwk()) as Record<string, string>;
    await expect(vapidKeys({ VAPID_PRIVATE_JWK: JSON.stringify(pub) })).rejects.toThrow(/private EC P-256/);
  });

  it("takes only a mailto: or https: subject", () => {
    expect(vapidSubject({ VAPID_SUBJECT: "https://example.com/contact" })).toBe("https://example.com/contact");
    expect(() => vapidSubject({ VAPID_SUBJECT: "http://example.com" })).toThrow(/mailto: or https:/);
  });
});
