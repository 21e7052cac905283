// The vendor API: a vendor authenticates each call with a short-lived JWT signed by its own
// key, creates its cameras and revokes them.
import { describe, expect, it } from "vitest";
import { DEVICE_TOKEN_AUDIENCE } from "../../protocol/index.ts";
import { ACCESS_CODE_ALPHABET, ACCESS_CODE_LENGTH } from "../src/auth/access-code.ts";
import { deviceUpgrade } from "./support/connect.ts";
import { errorOf, postJson } from "./support/http.ts";
import { uniqueSerial } from "./support/ids.ts";
import { generateVendorKeys, nowSeconds, signWith, vendorApiToken } from "./support/keys.ts";
import { createDevice, registerVendor } from "./support/provision.ts";

const createWith = (token: string, serial = uniqueSerial()) => postJson("/api/vendor/devices", { serial }, { bearer: token });

describe("vendor API authentication", () => {
  it("accepts a vendor token that expires within ten minutes", async () => {
    const vendor = await registerVendor();
    const res = await createWith(await vendorApiToken(vendor.keys, vendor.vendorId, { exp: nowSeconds() + 590 }));
    expect(res.status).toBe(201);
  });

  it("refuses a vendor token that lives longer than ten minutes", async () => {
    const vendor = await registerVendor();
    const res = await createWith(await vendorApiToken(vendor.keys, vendor.vendorId, { exp: nowSeconds() + 3600 }));
    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toMatch(/10 minutes/);
  });

  it("refuses an expired vendor token", async () => {
    const vendor = await registerVendor();
    const res = await createWith(await vendorApiToken(vendor.keys, vendor.vendorId, { exp: nowSeconds() - 120 }));
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("unauthorized");
  });

  it("refuses a vendor token signed by another key", async () => {
    const vendor = await registerVendor();
    const res = await createWith(await vendorApiToken(await generateVendorKeys(), vendor.vendorId));
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("unauthorized");
  });

  it("refuses a device token used as a vendor API token", async () => {
    const vendor = await registerVendor();
    const res = await createWith(await signWith(vendor.keys, { aud: DEVICE_TOKEN_AUDIENCE, iss: vendor.vendorId, sub: "CAM-0001" }));
    expect(res.status).toBe(401);
  });

  it("answers vendor_not_found (404) for a token from an unregistered issuer", async () => {
    const res = await createWith(await vendorApiToken(await generateVendorKeys(), "v_unknownVendor0"));
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("vendor_not_found");
  });

  it("refuses a call without a token", async () => {
    const res = await postJson("/api/vendor/devices", { serial: uniqueSerial() });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("unauthorized");
  });
});

describe("device creation and revocation", () => {
  it("creates a device and returns its access code once", async () => {
    const vendor = await registerVendor();
    const serial = uniqueSerial();
    const res = await postJson("/api/vendor/devices", { serial, name: "Front door" }, { bearer: await vendorApiToken(vendor.keys, vendor.vendorId) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { serial: string; vendorId: string; accessCode: string };
    expect(body.serial).toBe(serial);
    expect(body.vendorId).toBe(vendor.vendorId);
    expect(body.accessCode).toHaveLength(ACCESS_CODE_LENGTH);
    expect([...body.accessCode].every((ch) => ACCESS_CODE_ALPHABET.includes(ch))).toBe(true);
  });

  it("refuses a duplicate serial with 409 conflict, even from another vendor", async () => {
    const vendor = await registerVendor();
    const device = await createDevice(vendor);
    const again = await createWith(await vendorApiToken(vendor.keys, vendor.vendorId), device.serial);
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("conflict");
    const other = await registerVendor();
    const stolen = await createWith(await vendorApiToken(other.keys, other.vendorId), device.serial);
    expect(stolen.status).toBe(409);
  });

  it("refuses a malformed serial with 400 bad_request", async () => {
    const vendor = await registerVendor();
    const res = await createWith(await vendorApiToken(vendor.keys, vendor.vendorId), "lower-case serial");
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("bad_request");
  });

  it("lets a vendor revoke its own device", async () => {
    const vendor = await registerVendor();
    const device = await createDevice(vendor);
    const res = await postJson(`/api/vendor/devices/${device.serial}/revoke`, {}, { bearer: await vendorApiToken(vendor.keys, vendor.vendorId) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ serial: device.serial, revoked: true });
  });

  it("answers device_not_found when a vendor tries to revoke another vendor's device", async () => {
    const owner = await registerVendor();
    const device = await createDevice(owner);
    const other = await registerVendor();
    const res = await postJson(`/api/vendor/devices/${device.serial}/revoke`, {}, { bearer: await vendorApiToken(other.keys, other.vendorId) });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("device_not_found");
    // The owner's camera is untouched: it still gets its socket.
    const upgrade = await deviceUpgrade(device.serial, device.token);
    expect(upgrade.status).toBe(101);
    upgrade.webSocket?.accept();
    upgrade.webSocket?.close(1000, "done");
  });
});
