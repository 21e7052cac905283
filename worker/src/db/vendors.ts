// Why: vendor rows — registration is idempotent per (name, key), so re-running provisioning
// is safe.
import { eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { vendors, type VendorRow } from "./schema.ts";

export async function findVendorById(d: Db, id: string): Promise<VendorRow | undefined> {
  return d.select().from(vendors).where(eq(vendors.id, id)).get();
}

export async function findVendorByName(d: Db, name: string): Promise<VendorRow | undefined> {
  return d.select().from(vendors).where(eq(vendors.name, name)).get();
}

/** Inserts the vendor unless the name exists; returns whether it was inserted. */
export async function insertVendor(d: Db, row: VendorRow): Promise<boolean> {
  const res = await d.insert(vendors).values(row).onConflictDoNothing().run();
  return res.meta.changes === 1;
}
