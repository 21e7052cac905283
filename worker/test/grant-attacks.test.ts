// The edge's own check of viewer grants at the WebSocket upgrade, against forged and misused
// JWTs (RFC 8725 §2: algorithm confusion, missing signature, wrong audience, substitution).
// The agent runs the same attacks against its own check (device-agent/src/grant/).
import { env } from "cloudflare:workers";
import { generateKeyPair, SignJWT, UnsecuredJWT, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { EDGE_ISSUER, VIEWER_TICKET_AUDIENCE } from "../../protocol/index.ts";
import { cookieMintedAt, signUp } from "./support/accounts.ts";
import { connectDevice, openViewer } from "./support/connect.ts";
import { mintGrant } from "./support/grants.ts";
import { nowSeconds } from "./support/keys.ts";
import { provisionDevice } from "./support/provision.ts";

/** Claims of a genuine access-code grant for `serial`. */
function claims(serial: string, sid = "S-ATTACK-0001") {
  return { sid, uid: null, role: "code", iss: EDGE_ISSUER, aud: VIEWER_TICKET_AUDIENCE, sub: serial, jti: sid, iat: nowSeconds(), exp: nowSeconds() + 60 };
}

function edgePublicJwk(): JWK {
  const { d: _d, ...pub } = JSON.parse(env.EDGE_SIGNING_JWK) as JWK;
  return pub;
}

async function expectRefused(serial: string, ticket: string): Promise<void> {
  const viewer = await openViewer(serial, ticket);
  expect((await viewer.expectMessage("error")).code).toBe("ticket_invalid");
  expect((await viewer.waitClosed()).code).toBe(4401);
}

describe("viewer grant attacks at the edge", () => {
  it("refuses an unsigned grant (alg none)", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    await expectRefused(device.serial, new UnsecuredJWT(claims(device.serial)).encode());
  });

  it("refuses an HS256 grant whose HMAC key is the edge's public key (algorithm confusion)", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const secret = new TextEncoder().encode(JSON.stringify(edgePublicJwk()));
    const forged = await new SignJWT(claims(device.serial)).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(secret);
    await expectRefused(device.serial, forged);
  });

  it("refuses a grant signed with another ES256 key, even with the edge's kid", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const { privateKey } = await generateKeyPair("ES256");
    const kid = (JSON.parse(env.EDGE_SIGNING_JWK) as JWK).kid;
    const forged = await new SignJWT({ ...claims(device.serial), role: "owner", uid: "u_attacker0001" })
      .setProtectedHeader({ alg: "ES256", typ: "JWT", ...(kid ? { kid } : {}) })
      .sign(privateKey);
    await expectRefused(device.serial, forged);
  });

  it("refuses a user's session token presented as a grant (wrong audience)", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const user = await signUp();
    const sessionJwt = (await cookieMintedAt(user, nowSeconds())).split("=", 2)[1]!.split(";")[0]!;
    expect(sessionJwt.split(".")).toHaveLength(3); // a real, validly signed edge JWT — only the audience is wrong
    await expectRefused(device.serial, sessionJwt);
  });

  it("refuses a genuine grant presented for another camera", async () => {
    const [mine, other] = [await provisionDevice(), await provisionDevice()];
    await connectDevice(other);
    const { ticket } = await mintGrant(mine.serial);
    await expectRefused(other.serial, ticket);
  });

  it("refuses a genuine grant replayed for a second session", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const { ticket } = await mintGrant(device.serial);
    const first = await openViewer(device.serial, ticket);
    await expectRefused(device.serial, ticket);
    // The first session is untouched by the replay attempt.
    first.send({ type: "hello", v: 1 });
    expect((await first.expectMessage("welcome")).type).toBe("welcome");
  });
});
