// Device authentication at the real WebSocket upgrade: the vendor-signed token is checked in
// the worker before the hub sees the socket; refusals are plain HTTP JSON errors.
import { afterEach, describe, expect, it } from "vitest";
import { DEVICE_TOKEN_AUDIENCE, PROTOCOL_VERSION, VENDOR_API_AUDIENCE } from "../../protocol/index.ts";
import { connectDevice, DEVICE_HELLO, deviceUpgrade, startViewer } from "./support/connect.ts";
import { call, errorOf } from "./support/http.ts";
import { uniqueSerial } from "./support/ids.ts";
import { deviceToken, generateVendorKeys, hs256Token, nowSeconds, signWith, unsignedToken } from "./support/keys.ts";
import { provisionDevice, registerVendor, revokeDevice } from "./support/provision.ts";
import { closeAllSockets, TestSocket } from "./support/test-socket.ts";

async function expectRefused(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.webSocket).toBeNull();
  expect((await errorOf(res)).code).toBe(code);
}

afterEach(closeAllSockets);

describe("device authentication", () => {
  it("accepts a token signed by the vendor's ES256 key and welcomes the device after hello", async () => {
    const device = await provisionDevice("ES256");
    const socket = TestSocket.from(await deviceUpgrade(device.serial, device.token));
    socket.send(DEVICE_HELLO);
    const welcome = await socket.expectMessage("welcome");
    expect(welcome).toEqual({ type: "welcome", v: PROTOCOL_VERSION, serial: device.serial, heartbeatSeconds: expect.any(Number), accepts: ["status", "event"], stun: ["stun:stun.test.invalid:3478"] });
    expect(welcome.heartbeatSeconds).toBeGreaterThan(0);
    socket.close();
  });

  it("accepts a token signed by an EdDSA (Ed25519) vendor key", async () => {
    const device = await provisionDevice("EdDSA");
    const socket = TestSocket.from(await deviceUpgrade(device.serial, device.token));
    socket.send(DEVICE_HELLO);
    expect((await socket.expectMessage("welcome")).serial).toBe(device.serial);
    socket.close();
  });

  it("refuses a device token signed by another key", async () => {
    const device = await provisionDevice();
    const other = await generateVendorKeys("ES256");
    const forged = await deviceToken(other, device.vendor.vendorId, device.serial);
    await expectRefused(await deviceUpgrade(device.serial, forged), 401, "device_token_invalid");
  });

  it("refuses an unsigned token (alg none)", async () => {
    const device = await provisionDevice();
    const token = unsignedToken({ aud: DEVICE_TOKEN_AUDIENCE, iss: device.vendor.vendorId, sub: device.serial });
    await expectRefused(await deviceUpgrade(device.serial, token), 401, "device_token_invalid");
  });

  it("refuses an HS256 token keyed with the vendor's public key", async () => {
    const device = await provisionDevice();
    const claims = { aud: DEVICE_TOKEN_AUDIENCE, iss: device.vendor.vendorId, sub: device.serial };
    const token = await hs256Token(claims, JSON.stringify(device.vendor.keys.publicJwk));
    await expectRefused(await deviceUpgrade(device.serial, token), 401, "device_token_invalid");
  });

  it("refuses an expired device token", async () => {
    const device = await provisionDevice();
    const { keys, vendorId } = device.vendor;
    const token = await deviceToken(keys, vendorId, device.serial, { iat: nowSeconds() - 3600, exp: nowSeconds() - 120 });
    await expectRefused(await deviceUpgrade(device.serial, token), 401, "device_token_expired");
  });

  it("refuses a token without an expiry", async () => {
    const device = await provisionDevice();
    const { keys, vendorId } = device.vendor;
    const token = await signWith(keys, { aud: DEVICE_TOKEN_AUDIENCE, iss: vendorId, sub: device.serial, exp: undefined });
    await expectRefused(await deviceUpgrade(device.serial, token), 401, "device_token_invalid");
  });

  it("refuses a token minted for another audience (a vendor API token)", async () => {
    const device = await provisionDevice();
    const { keys, vendorId } = device.vendor;
    const token = await signWith(keys, { aud: VENDOR_API_AUDIENCE, iss: vendorId, sub: device.serial });
    await expectRefused(await deviceUpgrade(device.serial, token), 401, "device_token_invalid");
  });

  it("refuses a token for another serial with device_serial_mismatch", async () => {
    const device = await provisionDevice();
    const { keys, vendorId } = device.vendor;
    const otherSerialToken = await deviceToken(keys, vendorId, uniqueSerial());
    await expectRefused(await deviceUpgrade(device.serial, otherSerialToken), 403, "device_serial_mismatch");
  });

  it("refuses a vendor's token for a serial that belongs to another vendor", async () => {
    const device = await provisionDevice();
    const intruder = await registerVendor();
    const token = await deviceToken(intruder.keys, intruder.vendorId, device.serial);
    await expectRefused(await deviceUpgrade(device.serial, token), 403, "device_serial_mismatch");
  });

  it("refuses a token whose issuer is not a registered vendor", async () => {
    const keys = await generateVendorKeys();
    const serial = uniqueSerial();
    const token = await deviceToken(keys, "v_notARegisteredVendor", serial);
    await expectRefused(await deviceUpgrade(serial, token), 401, "device_token_invalid");
  });

  it("refuses a valid vendor's token for a serial that was never created", async () => {
    const vendor = await registerVendor();
    const serial = uniqueSerial();
    const token = await deviceToken(vendor.keys, vendor.vendorId, serial);
    await expectRefused(await deviceUpgrade(serial, token), 404, "device_not_found");
  });

  it("refuses a revoked device", async () => {
    const device = await provisionDevice();
    expect((await revokeDevice(device)).status).toBe(200);
    await expectRefused(await deviceUpgrade(device.serial, device.token), 403, "device_revoked");
  });

  it("cuts a connected device's socket and its viewers when it is revoked", async () => {
    const device = await provisionDevice();
    const socket = await connectDevice(device);
    const { viewer } = await startViewer(device, socket);
    expect((await revokeDevice(device)).status).toBe(200);
    expect((await viewer.expectMessage("error")).code).toBe("device_offline");
    expect((await viewer.waitClosed()).code).toBe(4409);
    const error = await socket.expectMessage("error");
    expect(error.code).toBe("device_revoked");
    const closed = await socket.waitClosed();
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/^device_revoked/);
  });

  it("refuses a connection without a token", async () => {
    const device = await provisionDevice();
    await expectRefused(await deviceUpgrade(device.serial), 401, "unauthorized");
  });

  it("refuses a token that is not a JWT at all", async () => {
    const device = await provisionDevice();
    await expectRefused(await deviceUpgrade(device.serial, "not-a-jwt"), 401, "device_token_invalid");
  });

  it("refuses a plain GET without the WebSocket upgrade", async () => {
    const device = await provisionDevice();
    const res = await call(`/ws/device/${device.serial}`, { headers: { authorization: `Bearer ${device.token}` } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("bad_request");
  });
});
