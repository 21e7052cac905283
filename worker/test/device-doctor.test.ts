// POST /api/devices/:serial/doctor: the doctor's one call to the edge, authenticated like the
// device socket, and never touching the hub (a running agent must not be replaced).
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { DEVICE_DOCTOR_PATH, DEVICE_DOCTOR_TURN_TTL_SECONDS, DeviceDoctorResponseSchema } from "../../protocol/index.ts";
import { doctorIceServers } from "../src/routes/device-doctor.ts";
import { connectDevice } from "./support/connect.ts";
import { call, errorOf } from "./support/http.ts";
import { deviceToken, generateVendorKeys } from "./support/keys.ts";
import { provisionDevice, revokeDevice } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";

afterEach(closeAllSockets);

const doctor = (serial: string, token?: string): Promise<Response> =>
  call(DEVICE_DOCTOR_PATH(serial), { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("device doctor route", () => {
  it("answers a valid device token with the edge's time and the ICE servers a session would get", async () => {
    const device = await provisionDevice();
    const before = Date.now();
    const res = await doctor(device.serial, device.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = DeviceDoctorResponseSchema.parse(await res.json());
    expect(body.serial).toBe(device.serial);
    expect(Date.parse(body.serverTime)).toBeGreaterThanOrEqual(before - 1000);
    // The test edge has ICE_SERVERS = one STUN server and no TURN_SECRET.
    expect(body).toMatchObject({ turnConfigured: false, iceServers: [{ urls: "stun:stun.test.invalid:3478" }] });
  });

  it("refuses a revoked camera with device_revoked, as the device socket does", async () => {
    const device = await provisionDevice();
    expect((await revokeDevice(device)).status).toBe(200);
    const res = await doctor(device.serial, device.token);
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("device_revoked");
  });

  it("refuses a token for another serial, a token signed by an unknown key, and no token", async () => {
    const device = await provisionDevice();
    const other = await provisionDevice();
    const mismatch = await doctor(device.serial, other.token);
    expect((await errorOf(mismatch)).code).toBe("device_serial_mismatch"); // another camera's own, valid token
    const sameVendor = await deviceToken(device.vendor.keys, device.vendor.vendorId, "CAM-NOT-THIS-ONE");
    const wrongSerial = await doctor(device.serial, sameVendor);
    expect(wrongSerial.status).toBe(403);
    expect((await errorOf(wrongSerial)).code).toBe("device_serial_mismatch");
    const forged = await deviceToken(await generateVendorKeys(), device.vendor.vendorId, device.serial);
    const unknownKey = await doctor(device.serial, forged);
    expect(unknownKey.status).toBe(401);
    expect((await errorOf(unknownKey)).code).toBe("device_token_invalid");
    const none = await doctor(device.serial);
    expect((await errorOf(none)).code).toBe("unauthorized");
  });

  it("leaves the camera's connected agent online (it never touches the device socket)", async () => {
    const device = await provisionDevice();
    const agent = await connectDevice(device);
    expect((await doctor(device.serial, device.token)).status).toBe(200);
    await agent.expectSilence(200);
    expect(agent.isClosed).toBe(false);
    const presence = (await (await call(`/api/devices/${device.serial}`)).json()) as { online: boolean };
    expect(presence.online).toBe(true);
  });

  it("mints TURN credentials coturn accepts, valid two minutes, named after the serial", async () => {
    const regions = [{ id: "local", urls: ["stun:127.0.0.1:3478", "turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp"] }];
    const now = Date.now();
    const out = await doctorIceServers({ ICE_SERVERS: "[]", TURN_SECRET: "s3cret", TURN_REGIONS: JSON.stringify(regions) }, "CAM-DOC-1", {}, now);
    expect(out.turnConfigured).toBe(true);
    const server = out.iceServers[0]!;
    expect(server.urls).toEqual(regions[0]!.urls);
    expect(server.username).toBe(`${Math.floor(now / 1000) + DEVICE_DOCTOR_TURN_TTL_SECONDS}:CAM-DOC-1.doctor`);
    expect(server.credential).toBe(createHmac("sha1", "s3cret").update(server.username!).digest("base64"));
  });
});
