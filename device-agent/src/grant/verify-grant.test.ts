// The agent checks each viewer grant itself: only an ES256 grant from the edge's key, for this
// camera and this very session, unexpired, is accepted (JWT attacks from RFC 8725 §2 refused).
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { EDGE_ISSUER, VIEWER_TICKET_AUDIENCE } from "../../../protocol/index.ts";
import { GrantError, verifyGrant } from "./verify-grant.ts";

const SERIAL = "CAM-GRANT-1";
const SID = "S-GRANT-00000001";
let edge: { privateKey: CryptoKey; publicKey: CryptoKey };
let publicJwkText: string;

beforeAll(async () => {
  edge = await generateKeyPair("ES256", { extractable: true });
  publicJwkText = JSON.stringify(await exportJWK(edge.publicKey));
});

const now = () => Math.floor(Date.now() / 1000);

function claims(extra: JWTPayload = {}): JWTPayload {
  return { iss: EDGE_ISSUER, aud: VIEWER_TICKET_AUDIENCE, sub: SERIAL, sid: SID, uid: "user-1", role: "guest", iat: now(), exp: now() + 60, ...extra };
}

function sign(payload: JWTPayload, key: CryptoKey = edge.privateKey): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", typ: "JWT" }).sign(key);
}

async function refusal(grant: string, sessionId = SID): Promise<string> {
  const err = await verifyGrant(grant, { key: edge.publicKey, serial: SERIAL, sessionId }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GrantError);
  return (err as GrantError).message;
}

describe("grant verification on the device", () => {
  it("accepts a valid grant and returns the role and user", async () => {
    await expect(verifyGrant(await sign(claims()), { key: edge.publicKey, serial: SERIAL, sessionId: SID })).resolves.toMatchObject({
      role: "guest",
      userId: "user-1",
      sessionId: SID,
    });
  });

  it("returns the viewer's NAT from the grant, and drops a malformed one without refusing the grant", async () => {
    const vnat = { mapping: "endpoint-independent", filtering: "address-dependent", udpBlocked: false };
    await expect(verifyGrant(await sign(claims({ vnat })), { key: edge.publicKey, serial: SERIAL, sessionId: SID })).resolves.toMatchObject({ viewerNat: vnat });
    const bad = await verifyGrant(await sign(claims({ vnat: { mapping: "sideways" } })), { key: edge.publicKey, serial: SERIAL, sessionId: SID });
    expect(bad.role).toBe("guest");
    expect(bad).not.toHaveProperty("viewerNat");
  });

  it("accepts an access-code grant without a user", async () => {
    const g = await sign(claims({ uid: null, role: "code" }));
    await expect(verifyGrant(g, { key: edge.publicKey, serial: SERIAL, sessionId: SID })).resolves.toMatchObject({ role: "code", userId: null });
  });

  it("refuses an unsigned grant (alg none)", async () => {
    expect(await refusal(new UnsecuredJWT(claims()).encode())).toMatch(/ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWS_INVALID/);
  });

  it("refuses an HS256 grant keyed with the edge's public key (algorithm confusion)", async () => {
    const forged = await new SignJWT(claims()).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(new TextEncoder().encode(publicJwkText));
    expect(await refusal(forged)).toBe("ERR_JOSE_ALG_NOT_ALLOWED");
  });

  it("refuses a grant signed with another key", async () => {
    const other = await generateKeyPair("ES256");
    expect(await refusal(await sign(claims(), other.privateKey))).toBe("ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });

  it("refuses an expired grant", async () => {
    expect(await refusal(await sign(claims({ iat: now() - 600, exp: now() - 120 })))).toBe("ERR_JWT_EXPIRED");
  });

  it("refuses a grant for another audience (e.g. a user session token)", async () => {
    expect(await refusal(await sign(claims({ aud: "porthole-user-session" })))).toBe("ERR_JWT_CLAIM_VALIDATION_FAILED");
  });

  it("refuses a grant from another issuer", async () => {
    expect(await refusal(await sign(claims({ iss: "someone-else" })))).toBe("ERR_JWT_CLAIM_VALIDATION_FAILED");
  });

  it("refuses a grant for another camera", async () => {
    expect(await refusal(await sign(claims({ sub: "CAM-OTHER-9" })))).toBe("grant is for another camera");
  });

  it("refuses a grant replayed into another session", async () => {
    expect(await refusal(await sign(claims()), "S-OTHER-00000002")).toBe("grant is for another session");
  });

  it("refuses a grant with an unknown role or a user that does not fit its role", async () => {
    expect(await refusal(await sign(claims({ role: "admin" })))).toBe("grant has no valid role");
    expect(await refusal(await sign(claims({ role: "owner", uid: null })))).toBe("grant user does not match its role");
  });

  it("refuses a token that is not a JWT at all", async () => {
    expect(await refusal("not-a-jwt")).toBe("ERR_JWS_INVALID");
  });
});

describe("the grant's display label", () => {
  it("returns the name the edge put in the grant, and none when the grant has none", async () => {
    const named = await verifyGrant(await sign(claims({ name: "alice" })), { key: edge.publicKey, serial: SERIAL, sessionId: SID });
    expect(named.name).toBe("alice");
    const plain = await verifyGrant(await sign(claims()), { key: edge.publicKey, serial: SERIAL, sessionId: SID });
    expect(plain.name).toBeUndefined();
  });

  it("refuses a name that is not a string of at most 128 characters", async () => {
    expect(await refusal(await sign(claims({ name: 42 })))).toBe("grant name is not a string of 1-128 characters");
    expect(await refusal(await sign(claims({ name: "x".repeat(129) })))).toBe("grant name is not a string of 1-128 characters");
  });
});
