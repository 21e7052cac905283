// Why: who holds which role on which camera (device_access). The database enforces one owner
// per serial (partial unique index), so concurrent claims cannot both win.
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Role } from "../../../protocol/index.ts";
import type { Db } from "./client.ts";
import { prepared } from "./prepared.ts";
import { deviceAccess, devices, users, type DeviceRow, type UserRow } from "./schema.ts";

const deviceAndRole = (d: Db) =>
  d
    .select({ device: devices, role: deviceAccess.role })
    .from(devices)
    .leftJoin(deviceAccess, and(eq(deviceAccess.serial, devices.serial), eq(deviceAccess.userId, sql.placeholder("userId"))))
    .where(eq(devices.serial, sql.placeholder("serial")))
    .prepare();

/**
 * The camera row and the user's role on it (undefined: no role) in one query, for the session
 * path where both are needed (one D1 round trip instead of two); undefined for an unknown serial.
 */
export async function deviceWithRole(d: Db, serial: string, userId: string): Promise<{ device: DeviceRow; role: Role | undefined } | undefined> {
  const row = await prepared(d, deviceAndRole).get({ serial, userId });
  return row ? { device: row.device, role: row.role ?? undefined } : undefined;
}

const userDeviceAndRole = (d: Db) =>
  d
    .select({ user: users, device: devices, role: deviceAccess.role })
    .from(users)
    .leftJoin(devices, eq(devices.serial, sql.placeholder("serial")))
    .leftJoin(deviceAccess, and(eq(deviceAccess.serial, devices.serial), eq(deviceAccess.userId, users.id)))
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare();

/**
 * The signed-in user's row, the camera row and the user's role on it in one query — the
 * /ws/watch path needs all three before it can start a session, and each D1 round trip is on
 * the time to first frame. user undefined: no such user; device undefined: unknown serial.
 */
export async function userWithDeviceRole(
  d: Db,
  userId: string,
  serial: string,
): Promise<{ user: UserRow | undefined; device: DeviceRow | undefined; role: Role | undefined }> {
  const row = await prepared(d, userDeviceAndRole).get({ userId, serial });
  return { user: row?.user, device: row?.device ?? undefined, role: row?.role ?? undefined };
}

export async function roleOf(d: Db, serial: string, userId: string): Promise<Role | undefined> {
  const row = await d
    .select({ role: deviceAccess.role })
    .from(deviceAccess)
    .where(and(eq(deviceAccess.serial, serial), eq(deviceAccess.userId, userId)))
    .get();
  return row?.role;
}

/** The caller's cameras with their device rows. */
export async function camerasOf(d: Db, userId: string) {
  return d
    .select({ role: deviceAccess.role, device: devices })
    .from(deviceAccess)
    .innerJoin(devices, eq(deviceAccess.serial, devices.serial))
    .where(eq(deviceAccess.userId, userId))
    .orderBy(asc(devices.name), asc(devices.serial))
    .all();
}

/**
 * Makes `userId` the owner. A share the user already had is upgraded; a second owner fails the
 * unique index and this returns false.
 */
export async function claimOwnership(d: Db, serial: string, userId: string, now: Date): Promise<boolean> {
  try {
    const res = await d
      .insert(deviceAccess)
      .values({ serial, userId, role: "owner", createdAt: now, grantedBy: null })
      .onConflictDoUpdate({
        target: [deviceAccess.serial, deviceAccess.userId],
        set: { role: "owner", grantedBy: null },
        // The caller already owning it is "already claimed" too, not a silent success.
        setWhere: sql`${deviceAccess.role} <> 'owner'`,
      })
      .run();
    return res.meta.changes === 1;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** Everyone with a role on the camera, the owner first. */
export async function sharesOf(d: Db, serial: string) {
  return d
    .select({ userId: deviceAccess.userId, email: users.email, role: deviceAccess.role, createdAt: deviceAccess.createdAt })
    .from(deviceAccess)
    .innerJoin(users, eq(deviceAccess.userId, users.id))
    .where(eq(deviceAccess.serial, serial))
    .orderBy(sql`CASE ${deviceAccess.role} WHEN 'owner' THEN 0 ELSE 1 END`, asc(deviceAccess.createdAt), asc(users.email))
    .all();
}

/** Creates or changes a viewer/guest share; never touches the owner's row. Returns the previous role. */
export async function upsertShare(
  d: Db,
  share: { serial: string; userId: string; role: "viewer" | "guest"; grantedBy: string; now: Date },
): Promise<{ changed: boolean }> {
  const res = await d
    .insert(deviceAccess)
    .values({ serial: share.serial, userId: share.userId, role: share.role, createdAt: share.now, grantedBy: share.grantedBy })
    .onConflictDoUpdate({
      target: [deviceAccess.serial, deviceAccess.userId],
      set: { role: share.role, grantedBy: share.grantedBy },
      setWhere: and(ne(deviceAccess.role, "owner"), ne(deviceAccess.role, share.role)),
    })
    .run();
  return { changed: res.meta.changes === 1 };
}

/** Removes a viewer/guest share (never the owner's row); returns whether one was removed. */
export async function deleteShare(d: Db, serial: string, userId: string): Promise<boolean> {
  const res = await d
    .delete(deviceAccess)
    .where(and(eq(deviceAccess.serial, serial), eq(deviceAccess.userId, userId), ne(deviceAccess.role, "owner")))
    .run();
  return res.meta.changes === 1;
}

/** drizzle wraps D1's error ("Failed query: …"); SQLite's message is on the cause. */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (/UNIQUE constraint failed/i.test(String((e as Error).message ?? e))) return true;
  }
  return false;
}
