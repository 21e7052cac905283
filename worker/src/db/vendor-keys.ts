// Why: a vendor may hold several signing keys while it rotates: the current one (valid_until
// null) and older ones that keep verifying until their valid_until, so cameras can be
// re-tokened before the old key stops working.
import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { Db } from "./client.ts";
import { vendorKeys, vendors, type VendorKeyRow } from "./schema.ts";

/** The kid of a vendor's first key (registration, and the migration's backfill, use it). */
export function firstKid(vendorId: string): string {
  return `${vendorId}-k1`;
}

export async function findVendorKey(d: Db, kid: string): Promise<VendorKeyRow | undefined> {
  return d.select().from(vendorKeys).where(eq(vendorKeys.kid, kid)).get();
}

/** Keys that still verify at `now`: the current one and rotated-out ones not yet past valid_until. */
export async function validVendorKeys(d: Db, vendorId: string, now: Date): Promise<VendorKeyRow[]> {
  return d
    .select()
    .from(vendorKeys)
    .where(and(eq(vendorKeys.vendorId, vendorId), or(isNull(vendorKeys.validUntil), gt(vendorKeys.validUntil, now))))
    .all();
}

export async function countVendorKeys(d: Db, vendorId: string): Promise<number> {
  return (await d.select({ kid: vendorKeys.kid }).from(vendorKeys).where(eq(vendorKeys.vendorId, vendorId)).all()).length;
}

export async function allVendorKeys(d: Db, vendorId: string): Promise<VendorKeyRow[]> {
  return d.select().from(vendorKeys).where(eq(vendorKeys.vendorId, vendorId)).all();
}

/** Inserts a key unless its kid exists; returns whether it was inserted. */
export async function insertVendorKey(d: Db, row: VendorKeyRow): Promise<boolean> {
  const res = await d.insert(vendorKeys).values(row).onConflictDoNothing().run();
  return res.meta.changes === 1;
}

/**
 * Rotation in one batch (D1 runs a batch as one transaction): the current key(s) get
 * `previousValidUntil`, the new key becomes current, and the vendors row mirrors it (so
 * re-registering the vendor with its current key stays idempotent).
 */
export async function rotateVendorKey(d: Db, row: VendorKeyRow, previousValidUntil: Date): Promise<void> {
  await d.batch([
    d
      .update(vendorKeys)
      .set({ validUntil: previousValidUntil })
      .where(and(eq(vendorKeys.vendorId, row.vendorId), isNull(vendorKeys.validUntil))),
    d.insert(vendorKeys).values(row),
    d.update(vendors).set({ publicJwk: row.publicJwk, alg: row.alg }).where(eq(vendors.id, row.vendorId)),
  ]);
}
