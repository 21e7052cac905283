// Why: the operator registers camera vendors (their public keys); everything a vendor does
// afterwards is signed with that key.
import { Hono } from "hono";
import { RegisterVendorRequestSchema, type RegisterVendorResponse } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { requireAdmin } from "../auth/middleware.ts";
import { parseVendorPublicJwk } from "../auth/vendor-key.ts";
import { firstKid, insertVendorKey } from "../db/vendor-keys.ts";
import { findVendorByName, insertVendor } from "../db/vendors.ts";
import type { VendorRow } from "../db/schema.ts";
import { PortholeError } from "../errors.ts";
import { log } from "../log.ts";
import { newVendorId } from "../random.ts";
import { readBody } from "./read-body.ts";

export const adminRoutes = new Hono<AppEnv>();
adminRoutes.use("*", requireAdmin);

/** Same name + same key → 200 (idempotent); same name + other key → 409 conflict. */
adminRoutes.post("/vendors", async (c) => {
  const body = await readBody(c, RegisterVendorRequestSchema);
  const key = await parseVendorPublicJwk(body.publicJwk);
  const publicJwk = JSON.stringify(key.jwk);
  const answer = (v: VendorRow, created: boolean) =>
    c.json({ vendorId: v.id, name: v.name, alg: v.alg, created } satisfies RegisterVendorResponse, created ? 201 : 200);
  const sameOrConflict = (existing: VendorRow) => {
    if (existing.publicJwk !== publicJwk || existing.alg !== key.alg) {
      throw PortholeError.conflict(`A vendor named ${body.name} is registered with another key.`);
    }
    return answer(existing, false);
  };

  const existing = await findVendorByName(c.var.db, body.name);
  if (existing) return sameOrConflict(existing);
  const row: VendorRow = { id: newVendorId(), name: body.name, publicJwk, alg: key.alg, createdAt: new Date() };
  if (!(await insertVendor(c.var.db, row))) {
    // Lost a race with a concurrent registration of the same name.
    const winner = await findVendorByName(c.var.db, body.name);
    if (!winner) throw new PortholeError("internal");
    return sameOrConflict(winner);
  }
  // The vendor's first signing key; rotation (POST /api/vendor/keys) adds the next ones.
  await insertVendorKey(c.var.db, { kid: firstKid(row.id), vendorId: row.id, publicJwk, alg: key.alg, createdAt: row.createdAt, validUntil: null });
  log({ event: "vendor_registered", vendorId: row.id, name: row.name, alg: row.alg });
  return answer(row, true);
});
