// Why: every camera route asks the same two questions — does the caller have a role on this
// camera, and is it the owner — and must answer them identically.
//
// An unknown serial and a camera the caller has no role on both answer no_access (403), never
// device_not_found: these routes are about the caller's own cameras, so one answer for "not
// yours" keeps them from becoming an oracle for which serials exist or are claimed, and the PWA
// needs only one message. (Claiming is different: it proves the label code first.)
import { SerialSchema, type Role } from "../../../protocol/index.ts";
import type { Db } from "../db/client.ts";
import { roleOf } from "../db/device-access.ts";
import { findDevice } from "../db/devices.ts";
import type { DeviceRow } from "../db/schema.ts";
import { PortholeError } from "../errors.ts";

export interface CameraAccess {
  role: Role;
  device: DeviceRow;
}

/** The caller's role and the camera row; no_access when there is none. */
export async function requireRole(d: Db, serial: string, userId: string): Promise<CameraAccess> {
  if (!SerialSchema.safeParse(serial).success) throw new PortholeError("no_access");
  const [role, device] = await Promise.all([roleOf(d, serial, userId), findDevice(d, serial)]);
  if (!role || !device) throw new PortholeError("no_access");
  return { role, device };
}

/** As requireRole, and forbidden (403) for a viewer or guest: only the owner manages a camera. */
export async function requireOwner(d: Db, serial: string, userId: string): Promise<CameraAccess> {
  const access = await requireRole(d, serial, userId);
  if (access.role !== "owner") throw new PortholeError("forbidden", "Only the camera's owner can do this.");
  return access;
}
