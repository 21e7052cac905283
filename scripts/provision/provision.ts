// Why: the vendor's side of provisioning as a library (used by the CLI, `npm start` and the
// tests): make sure the vendor key exists and is registered, create the camera, and mint the
// camera's credential. The access code is shown once; the edge keeps only its hash.
import path from "node:path";
import { z } from "zod";
import {
  CreateDeviceResponseSchema,
  RegisterVendorResponseSchema,
  RotateVendorKeyResponseSchema,
  TokenVersionResponseSchema,
  type VendorAlgorithm,
} from "../../protocol/index.ts";
import { STATE_DIR } from "../lib/paths.ts";
import { callEdge } from "./edge-client.ts";
import { mintDeviceToken, mintVendorApiToken } from "./tokens.ts";
import { generateVendorKey, installRotatedKey, kidOf, loadOrCreateVendorKey, vendorKeyPath, type VendorKey } from "./vendor-key.ts";

export const DEFAULT_VENDOR_KEY_DIR = path.join(STATE_DIR, "vendors");
export const DEFAULT_TOKEN_DAYS = 365;

export interface VendorOptions {
  edge: string;
  vendor: string;
  /** Operator token for POST /api/admin/vendors. */
  adminToken: string;
  keyDir?: string;
  alg?: VendorAlgorithm;
}

export interface RegisteredVendor {
  key: VendorKey;
  vendorId: string;
  created: boolean;
}

/** Creates the vendor key on first use and registers its public half (idempotent on the edge). */
export async function ensureVendor(options: VendorOptions): Promise<RegisteredVendor> {
  const key = await loadOrCreateVendorKey(options.keyDir ?? DEFAULT_VENDOR_KEY_DIR, options.vendor, options.alg);
  const { body } = await callEdge(options.edge, "POST", "/api/admin/vendors", RegisterVendorResponseSchema, {
    bearer: options.adminToken,
    body: { name: options.vendor, publicJwk: key.publicJwk },
  });
  return { key, vendorId: body.vendorId, created: body.created };
}

export interface ProvisionOptions extends VendorOptions {
  serial: string;
  name?: string;
  tokenDays?: number;
}

export interface ProvisionResult {
  serial: string;
  vendorId: string;
  accessCode: string;
  token: string;
  tokenExpiresAt: string;
  vendorKeyFile: string;
}

export async function provisionDevice(options: ProvisionOptions): Promise<ProvisionResult> {
  const vendor = await ensureVendor(options);
  const apiToken = await mintVendorApiToken(vendor.key, vendor.vendorId);
  const { body } = await callEdge(options.edge, "POST", "/api/vendor/devices", CreateDeviceResponseSchema, {
    bearer: apiToken,
    body: { serial: options.serial, ...(options.name ? { name: options.name } : {}) },
  });
  const token = await mintDeviceToken(vendor.key, vendor.vendorId, body.serial, options.tokenDays ?? DEFAULT_TOKEN_DAYS);
  return {
    serial: body.serial,
    vendorId: vendor.vendorId,
    accessCode: body.accessCode,
    token: token.token,
    tokenExpiresAt: new Date(token.expiresAt * 1000).toISOString(),
    vendorKeyFile: vendor.key.file,
  };
}

/**
 * A fresh credential for a camera that already exists (re-provisioning, a leaked token): the
 * edge bumps the camera's token version first — every older token stops working and the socket
 * one of them opened is closed — then the new token carries the new `ver`.
 */
export async function reissueDeviceToken(options: ProvisionOptions): Promise<{ token: string; tokenExpiresAt: string; tokenVersion: number }> {
  const vendor = await ensureVendor(options);
  const { body } = await callEdge(
    options.edge,
    "POST",
    `/api/vendor/devices/${encodeURIComponent(options.serial)}/token-version`,
    TokenVersionResponseSchema,
    { bearer: await mintVendorApiToken(vendor.key, vendor.vendorId) },
  );
  const token = await mintDeviceToken(vendor.key, vendor.vendorId, options.serial, options.tokenDays ?? DEFAULT_TOKEN_DAYS, body.tokenVersion);
  return { token: token.token, tokenExpiresAt: new Date(token.expiresAt * 1000).toISOString(), tokenVersion: body.tokenVersion };
}

export interface RotateResult {
  kid: string;
  previousKid: string;
  previousKeyValidUntil: string | null;
  vendorKeyFile: string;
  previousKeyFile: string;
}

/**
 * Rotates the vendor's signing key: a new key pair is registered with the edge in a request
 * signed by the current key; only once the edge accepted it are the files swapped (the old key
 * is kept beside it). Tokens signed by the old key work until `previousKeyValidUntil`.
 */
export async function rotateVendorKey(options: VendorOptions & { previousKeyValidUntil?: string }): Promise<RotateResult> {
  const keyDir = options.keyDir ?? DEFAULT_VENDOR_KEY_DIR;
  const vendor = await ensureVendor(options);
  const next = await generateVendorKey(vendorKeyPath(keyDir, options.vendor), options.vendor, options.alg ?? vendor.key.alg);
  const { body } = await callEdge(options.edge, "POST", "/api/vendor/keys", RotateVendorKeyResponseSchema, {
    bearer: await mintVendorApiToken(vendor.key, vendor.vendorId),
    body: { publicJwk: next.key.publicJwk, ...(options.previousKeyValidUntil ? { previousKeyValidUntil: options.previousKeyValidUntil } : {}) },
  });
  const previousKid = kidOf(vendor.key, vendor.vendorId);
  const previousKeyFile = installRotatedKey(keyDir, options.vendor, previousKid, next, body.kid);
  return { kid: body.kid, previousKid, previousKeyValidUntil: body.previousKeyValidUntil, vendorKeyFile: next.key.file, previousKeyFile };
}

/** Revokes a camera: its token stops working and its live socket is cut at once. */
export async function revokeDevice(options: VendorOptions & { serial: string }): Promise<void> {
  const vendor = await ensureVendor(options);
  const apiToken = await mintVendorApiToken(vendor.key, vendor.vendorId);
  await callEdge(options.edge, "POST", `/api/vendor/devices/${encodeURIComponent(options.serial)}/revoke`, z.object({ revoked: z.literal(true) }), {
    bearer: apiToken,
  });
}
