// Why: the owner's writes to a camera row (name, viewer limit, code viewing, label code) and
// releasing it, apart from the hub's and vendor's writes in devices.ts.
import { eq } from "drizzle-orm";
import { DEFAULT_MAX_VIEWERS } from "../../../protocol/index.ts";
import type { Db } from "./client.ts";
import { deviceAccess, devices } from "./schema.ts";
import { forgetCameraEvents } from "./camera-events.ts";

export interface CameraSettings {
  name?: string;
  maxViewers?: number;
  allowCodeViewing?: boolean;
}

export async function updateCameraSettings(d: Db, serial: string, settings: CameraSettings): Promise<void> {
  const set = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return;
  await d.update(devices).set(set).where(eq(devices.serial, serial)).run();
}

export async function setAccessCodeHash(d: Db, serial: string, accessCodeHash: string): Promise<void> {
  await d.update(devices).set({ accessCodeHash }).where(eq(devices.serial, serial)).run();
}

/**
 * Every role on the camera goes, and the owner's settings return to the defaults, so the next
 * owner (e.g. after a resale) starts from a private camera with no event history. One batch:
 * all or nothing.
 */
export async function releaseCamera(d: Db, serial: string): Promise<void> {
  await d.batch([
    d.delete(deviceAccess).where(eq(deviceAccess.serial, serial)),
    forgetCameraEvents(d, serial),
    d.update(devices).set({ allowCodeViewing: false, maxViewers: DEFAULT_MAX_VIEWERS }).where(eq(devices.serial, serial)),
  ]);
}
