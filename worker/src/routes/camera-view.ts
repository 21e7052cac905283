// Why: one place turns a camera row, the caller's role and the hub's presence into the
// `Camera` the PWA shows, so the list, claim and update answers agree.
import type { Camera, Role } from "../../../protocol/index.ts";
import type { DeviceRow } from "../db/schema.ts";
import { hubFor } from "../hub/hub-request.ts";

export async function cameraView(env: Env, role: Role, device: DeviceRow): Promise<Camera> {
  const { online, viewers } = await hubFor(env, device.serial).presence();
  const lastSeen = online ? new Date() : device.lastSeenAt;
  return {
    serial: device.serial,
    name: device.name,
    role,
    online,
    lastSeenAt: lastSeen ? lastSeen.toISOString() : null,
    viewers,
    maxViewers: device.maxViewers,
    allowCodeViewing: device.allowCodeViewing,
  };
}
