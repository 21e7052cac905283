// Device credentials over their lifetime: vendor key rotation (old key good until its date),
// token versions (re-provisioning kills older tokens and their live socket), revocation.
import { env } from "cloudflare:workers";
import { SignJWT, type JWTPayload } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { DEVICE_TOKEN_AUDIENCE, VENDOR_API_AUDIENCE, type RotateVendorKeyResponse, type TokenVersionResponse } from "../../protocol/index.ts";
import { connectDevice, deviceUpgrade } from "./support/connect.ts";
import { errorOf, postJson } from "./support/http.ts";
import { generateVendorKeys, nowSeconds, vendorApiToken, type VendorKeys } from "./support/keys.ts";
import { createDevice, registerVendor, revokeDevice, type TestVendor } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";

afterEach(closeAllSockets);

/** Signs with `keys`, naming the key with `kid` in the header when given (RFC 7515 §4.1.4). */
function signed(keys: VendorKeys, payload: JWTPayload, kid?: string): Promise<string> {
  return new SignJWT({ exp: nowSeconds() + 300, iat: nowSeconds(), ...payload })
    .setProtectedHeader({ alg: keys.alg, typ: "JWT", ...(kid ? { kid } : {}) })
    .sign(keys.privateKey);
}

function deviceTokenWith(keys: VendorKeys, vendor: TestVendor, serial: string, opts: { kid?: string; ver?: number } = {}): Promise<string> {
  return signed(keys, { aud: DEVICE_TOKEN_AUDIENCE, iss: vendor.vendorId, sub: serial, ...(opts.ver !== undefined ? { ver: opts.ver } : {}) }, opts.kid);
}

async function rotate(vendor: TestVendor, signingKeys: VendorKeys, next: VendorKeys, previousKeyValidUntil?: string): Promise<Response> {
  return postJson("/api/vendor/keys", { publicJwk: next.publicJwk, ...(previousKeyValidUntil ? { previousKeyValidUntil } : {}) }, { bearer: await vendorApiToken(signingKeys, vendor.vendorId) });
}

async function expectUpgrade(serial: string, token: string, status: number, code?: string): Promise<void> {
  const res = await deviceUpgrade(serial, token);
  if (status === 101) {
    expect(res.status, res.status === 101 ? "" : await res.text()).toBe(101);
    res.webSocket?.accept();
    res.webSocket?.close(1000, "probe");
    return;
  }
  expect(res.status).toBe(status);
  expect((await errorOf(res)).code).toBe(code);
}

describe("vendor key rotation", () => {
  it("accepts device tokens and API calls signed with the rotated-in key, by kid or without one", async () => {
    const vendor = await registerVendor();
    const device = await createDevice(vendor);
    const next = await generateVendorKeys("EdDSA");
    const res = await rotate(vendor, vendor.keys, next);
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as RotateVendorKeyResponse;
    expect(body.kid).toBe(`${vendor.vendorId}-k2`);
    expect(Date.parse(body.previousKeyValidUntil!)).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    await expectUpgrade(device.serial, await deviceTokenWith(next, vendor, device.serial, { kid: body.kid }), 101);
    await expectUpgrade(device.serial, await deviceTokenWith(next, vendor, device.serial), 101);
    const created = await postJson("/api/vendor/devices", { serial: `${device.serial}-B` }, { bearer: await vendorApiToken(next, vendor.vendorId) });
    expect(created.status).toBe(201);
  });

  it("keeps accepting the old key until its valid_until, then refuses it", async () => {
    const vendor = await registerVendor();
    const device = await createDevice(vendor);
    const next = await generateVendorKeys();
    expect((await rotate(vendor, vendor.keys, next)).status).toBe(201);
    const oldByKid = await deviceTokenWith(vendor.keys, vendor, device.serial, { kid: `${vendor.vendorId}-k1` });
    const oldNoKid = await deviceTokenWith(vendor.keys, vendor, device.serial);
    await expectUpgrade(device.serial, oldByKid, 101);
    await expectUpgrade(device.serial, oldNoKid, 101);

    // The date passes.
    await env.DB.prepare("UPDATE vendor_keys SET valid_until = ? WHERE kid = ?").bind(Date.now() - 1000, `${vendor.vendorId}-k1`).run();
    await expectUpgrade(device.serial, oldByKid, 401, "device_token_invalid");
    await expectUpgrade(device.serial, oldNoKid, 401, "device_token_invalid");
    const api = await postJson("/api/vendor/devices", { serial: `${device.serial}-C` }, { bearer: await vendorApiToken(vendor.keys, vendor.vendorId) });
    expect(api.status).toBe(401);
    await expectUpgrade(device.serial, await deviceTokenWith(next, vendor, device.serial), 101);
  });

  it("retires the old key at once when previousKeyValidUntil is in the past", async () => {
    const vendor = await registerVendor();
    const device = await createDevice(vendor);
    const next = await generateVendorKeys();
    const res = await rotate(vendor, vendor.keys, next, new Date(Date.now() - 1000).toISOString());
    expect(res.status).toBe(201);
    await expectUpgrade(device.serial, device.token, 401, "device_token_invalid");
  });

  it("refuses a kid that belongs to another vendor, and re-registering a key the vendor already has", async () => {
    const a = await registerVendor();
    const b = await registerVendor();
    const device = await createDevice(a);
    await expectUpgrade(device.serial, await deviceTokenWith(a.keys, a, device.serial, { kid: `${b.vendorId}-k1` }), 401, "device_token_invalid");
    const again = await rotate(a, a.keys, a.keys);
    expect(again.status).toBe(409);
  });

  it("keeps admin re-registration idempotent with the vendor's current key after a rotation", async () => {
    const vendor = await registerVendor();
    const next = await generateVendorKeys();
    expect((await rotate(vendor, vendor.keys, next)).status).toBe(201);
    const res = await postJson("/api/admin/vendors", { name: vendor.name, publicJwk: next.publicJwk }, { bearer: "test-admin-token" });
    expect(res.status).toBe(200);
  });
});

describe("device token versions", () => {
  async function bump(vendor: TestVendor, serial: string): Promise<Response> {
    return postJson(`/api/vendor/devices/${serial}/token-version`, {}, { bearer: await vendorApiToken(vendor.keys, vendor.vendorId) });
  }

  it("a bump closes the old token's live socket with 4401 and refuses the old token from then on", async () => {
    const vendor = await registerVendor();
    const device = await createDevice(vendor);
    const live = await connectDevice(device); // minted without `ver`: accepted at version 1
    const res = await bump(vendor, device.serial);
    expect(res.status).toBe(200);
    expect((await res.json()) as TokenVersionResponse).toEqual({ serial: device.serial, tokenVersion: 2 });

    expect(await live.next()).toMatchObject({ type: "error", code: "device_token_invalid" });
    expect((await live.waitClosed()).code).toBe(4401);
    await expectUpgrade(device.serial, device.token, 401, "device_token_invalid");
    await expectUpgrade(device.serial, await deviceTokenWith(vendor.keys, vendor, device.serial, { ver: 1 }), 401, "device_token_invalid");
    await expectUpgrade(device.serial, await deviceTokenWith(vendor.keys, vendor, device.serial, { ver: 2 }), 101);
  });

  it("accepts ver 1 before any bump and refuses a version from the future", async () => {
    const vendor = await registerVendor();
    const device = await createDevice(vendor);
    await expectUpgrade(device.serial, await deviceTokenWith(vendor.keys, vendor, device.serial, { ver: 1 }), 101);
    await expectUpgrade(device.serial, await deviceTokenWith(vendor.keys, vendor, device.serial, { ver: 2 }), 401, "device_token_invalid");
  });

  it("does not let a vendor bump another vendor's camera", async () => {
    const owner = await registerVendor();
    const other = await registerVendor();
    const device = await createDevice(owner);
    expect((await bump(other, device.serial)).status).toBe(404);
  });
});

describe("revoked device", () => {
  it("is cut at once and cannot reconnect, even with a token of the current version", async () => {
    const vendor = await registerVendor();
    const device = await createDevice(vendor);
    const live = await connectDevice(device);
    expect((await revokeDevice(device)).status).toBe(200);
    expect((await live.waitClosed()).code).toBe(4403);
    await expectUpgrade(device.serial, device.token, 403, "device_revoked");
    await expectUpgrade(device.serial, await deviceTokenWith(vendor.keys, vendor, device.serial, { ver: 1, kid: `${vendor.vendorId}-k1` }), 403, "device_revoked");
  });
});
