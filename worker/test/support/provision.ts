// Why: most tests need a registered vendor and a camera; this does it through the real admin
// and vendor APIs, as the provisioning script does.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { CreateDeviceResponse, RegisterVendorResponse, VendorAlgorithm } from "../../../protocol/index.ts";
import { ADMIN_TOKEN, postJson } from "./http.ts";
import { uniqueSerial, uniqueVendorName } from "./ids.ts";
import { deviceToken, generateVendorKeys, vendorApiToken, type VendorKeys } from "./keys.ts";

export interface TestVendor {
  vendorId: string;
  name: string;
  keys: VendorKeys;
}

export interface TestDevice {
  vendor: TestVendor;
  serial: string;
  accessCode: string;
  /** A valid device token for this serial. */
  token: string;
}

export async function registerVendor(alg: VendorAlgorithm = "ES256", keys?: VendorKeys): Promise<TestVendor> {
  const k = keys ?? (await generateVendorKeys(alg));
  const name = uniqueVendorName();
  const res = await postJson("/api/admin/vendors", { name, publicJwk: k.publicJwk }, { bearer: ADMIN_TOKEN });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as RegisterVendorResponse;
  return { vendorId: body.vendorId, name, keys: k };
}

export interface DeviceOptions {
  /**
   * Let anyone with the label's access code watch (devices.allow_code_viewing). Off by default
   * in the product; on by default here because most tests exercise the viewer socket through
   * access-code sessions, which needs no account. Account tests pass false.
   */
  allowCodeViewing?: boolean;
}

export async function createDevice(vendor: TestVendor, serial: string = uniqueSerial(), opts: DeviceOptions = {}): Promise<TestDevice> {
  const res = await postJson("/api/vendor/devices", { serial }, { bearer: await vendorApiToken(vendor.keys, vendor.vendorId) });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as CreateDeviceResponse;
  if (opts.allowCodeViewing ?? true) await setCodeViewing(serial, true);
  return { vendor, serial, accessCode: body.accessCode, token: await deviceToken(vendor.keys, vendor.vendorId, serial) };
}

/** A fresh vendor with one camera. */
export async function provisionDevice(alg: VendorAlgorithm = "ES256", opts: DeviceOptions = {}): Promise<TestDevice> {
  return createDevice(await registerVendor(alg), undefined, opts);
}

/** Flips devices.allow_code_viewing directly in D1 (no owner needed). */
export async function setCodeViewing(serial: string, allow: boolean): Promise<void> {
  await env.DB.prepare("UPDATE devices SET allow_code_viewing = ? WHERE serial = ?").bind(allow ? 1 : 0, serial).run();
}

export async function revokeDevice(device: TestDevice): Promise<Response> {
  const { vendor } = device;
  return postJson(`/api/vendor/devices/${device.serial}/revoke`, {}, { bearer: await vendorApiToken(vendor.keys, vendor.vendorId) });
}
