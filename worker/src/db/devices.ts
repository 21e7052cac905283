// Why: device rows — lookups for auth and presence, creation, last-seen updates from the hub.
import { eq, sql } from "drizzle-orm";
import { prepared } from "./prepared.ts";
import type { NatStatus } from "../../../protocol/nat.ts";
import type { Db } from "./client.ts";
import { devices, vendors, type DeviceRow } from "./schema.ts";

const deviceBySerial = (d: Db) => d.select().from(devices).where(eq(devices.serial, sql.placeholder("serial"))).prepare();

export async function findDevice(d: Db, serial: string): Promise<DeviceRow | undefined> {
  return prepared(d, deviceBySerial).get({ serial });
}

/** The device with its vendor's name, for the presence endpoint. */
export async function findDeviceWithVendor(d: Db, serial: string) {
  return d
    .select({ device: devices, vendorName: vendors.name })
    .from(devices)
    .innerJoin(vendors, eq(devices.vendorId, vendors.id))
    .where(eq(devices.serial, serial))
    .get();
}

/** Inserts the device unless the serial exists; returns whether it was inserted. */
export async function insertDevice(d: Db, row: typeof devices.$inferInsert): Promise<boolean> {
  const res = await d.insert(devices).values(row).onConflictDoNothing().run();
  return res.meta.changes === 1;
}

export async function touchLastSeen(d: Db, serial: string, at: Date): Promise<void> {
  await d.update(devices).set({ lastSeenAt: at }).where(eq(devices.serial, serial)).run();
}

/** Keeps the camera's latest NAT report (its `status` message). */
export async function setNatStatus(d: Db, serial: string, nat: NatStatus, at: Date): Promise<void> {
  await d.update(devices).set({ natStatus: nat, natStatusAt: at }).where(eq(devices.serial, serial)).run();
}

export async function setRevoked(d: Db, serial: string, revoked: boolean): Promise<boolean> {
  const res = await d.update(devices).set({ revoked }).where(eq(devices.serial, serial)).run();
  return res.meta.changes === 1;
}

/** Bumps the camera's token version (older device tokens stop working); returns the new one. */
export async function bumpTokenVersion(d: Db, serial: string): Promise<number | undefined> {
  const row = await d
    .update(devices)
    .set({ tokenVersion: sql`${devices.tokenVersion} + 1` })
    .where(eq(devices.serial, serial))
    .returning({ tokenVersion: devices.tokenVersion })
    .get();
  return row?.tokenVersion;
}
