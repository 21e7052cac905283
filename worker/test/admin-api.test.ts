// The operator's API: vendor registration behind ADMIN_TOKEN, and the JSON error contract
// shared by every /api route.
import { exportJWK } from "jose";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, errorOf, postJson } from "./support/http.ts";
import { uniqueVendorName } from "./support/ids.ts";
import { generateVendorKeys } from "./support/keys.ts";

const register = (body: unknown, bearer = ADMIN_TOKEN) => postJson("/api/admin/vendors", body, { bearer });

describe("admin authentication", () => {
  it("refuses a wrong admin token with 401 unauthorized", async () => {
    const keys = await generateVendorKeys();
    const res = await register({ name: uniqueVendorName(), publicJwk: keys.publicJwk }, "not-the-admin-token");
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("unauthorized");
  });

  it("refuses a request without any admin token", async () => {
    const res = await postJson("/api/admin/vendors", { name: uniqueVendorName(), publicJwk: {} });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("unauthorized");
  });
});

describe("vendor registration", () => {
  it("registers a vendor with an ES256 public key (201, created)", async () => {
    const keys = await generateVendorKeys("ES256");
    const name = uniqueVendorName();
    const res = await register({ name, publicJwk: keys.publicJwk });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ vendorId: expect.stringMatching(/^v_/), name, alg: "ES256", created: true });
  });

  it("registers a vendor with an Ed25519 public key as EdDSA", async () => {
    const keys = await generateVendorKeys("EdDSA");
    const res = await register({ name: uniqueVendorName(), publicJwk: keys.publicJwk });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { alg: string }).alg).toBe("EdDSA");
  });

  it("is idempotent for the same name and key: 200 with the same vendor id", async () => {
    const keys = await generateVendorKeys();
    const name = uniqueVendorName();
    const first = (await (await register({ name, publicJwk: keys.publicJwk })).json()) as { vendorId: string };

    // The same key with metadata members (kid, use) is still the same key.
    const res = await register({ name, publicJwk: { ...keys.publicJwk, kid: "k1", use: "sig" } });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ vendorId: first.vendorId, name, alg: "ES256", created: false });
  });

  it("refuses the same name with another key with 409 conflict", async () => {
    const name = uniqueVendorName();
    expect((await register({ name, publicJwk: (await generateVendorKeys()).publicJwk })).status).toBe(201);
    const res = await register({ name, publicJwk: (await generateVendorKeys()).publicJwk });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe("conflict");
  });

  it("refuses a JWK with private members with 400 and never stores it", async () => {
    const keys = await generateVendorKeys();
    const name = uniqueVendorName();
    const privateJwk = await exportJWK(keys.privateKey);
    expect(privateJwk.d).toBeTruthy();

    const res = await register({ name, publicJwk: privateJwk });

    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/private members \(d\)/);
    // Nothing was stored under that name: the public key now registers fresh.
    expect((await register({ name, publicJwk: keys.publicJwk })).status).toBe(201);
  });

  it("refuses a symmetric (oct) key with 400", async () => {
    const res = await register({ name: uniqueVendorName(), publicJwk: { kty: "oct", k: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0" } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("bad_request");
  });

  it("refuses an EC point that is not on the P-256 curve with 400", async () => {
    const keys = await generateVendorKeys();
    const y = keys.publicJwk.y!;
    const badY = `${y.slice(0, -2)}${y.endsWith("AA") ? "AB" : "AA"}`;
    const res = await register({ name: uniqueVendorName(), publicJwk: { ...keys.publicJwk, y: badY } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("bad_request");
  });

  it("refuses a vendor name outside the allowed pattern with 400", async () => {
    const keys = await generateVendorKeys();
    const res = await register({ name: "Bad Name!", publicJwk: keys.publicJwk });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/^The request is malformed: name/);
  });
});

describe("API error contract", () => {
  it("refuses a body over the size limit with 413 message_too_large", async () => {
    const keys = await generateVendorKeys();
    const body = JSON.stringify({ name: uniqueVendorName(), publicJwk: { ...keys.publicJwk, pad: "x".repeat(20 * 1024) } });
    const res = await register(body);
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe("message_too_large");
  });

  it("refuses an oversized body sent without a content-length (streamed) with 413", async () => {
    const chunk = new TextEncoder().encode("x".repeat(8 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await call("/api/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: stream });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe("message_too_large");
  });

  it("answers an unknown API route with a JSON 404 not_found", async () => {
    const res = await call("/api/nothing-here");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: expect.stringContaining("/api/nothing-here") } });
  });

  it("answers a body that is not JSON with 400 bad_request in the standard error shape", async () => {
    const res = await register("{");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "bad_request", message: "The request is malformed: the body is not JSON" } });
  });
});
