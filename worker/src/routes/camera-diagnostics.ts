// Why: the owner's answer to "why is my camera offline?": how its recent connections ended
// (hub/connection-end.ts), whether it is online now, its last NAT report and its last doctor
// run. Owner only: viewers and guests keep seeing online / last seen, as before — the reasons
// (revocation, another device using the camera's identity) and the doctor's findings are for
// the person who can act on the camera.
import { Hono } from "hono";
import { CONNECTION_END_REASONS, type CameraDiagnostics, type ConnectionRecord } from "../../../protocol/index.ts";
import { requireOwner } from "../auth/camera-access.ts";
import type { UserEnv } from "../auth/require-user.ts";
import { recentConnections } from "../db/device-connections.ts";
import type { DeviceConnectionRow, DeviceRow } from "../db/schema.ts";
import { hubFor } from "../hub/hub-request.ts";

/** Mounted inside cameraRoutes, whose middleware has already required a signed-in user. */
export const cameraDiagnosticsRoutes = new Hono<UserEnv>();

cameraDiagnosticsRoutes.get("/:serial/diagnostics", async (c) => {
  const serial = c.req.param("serial");
  const { device } = await requireOwner(c.var.db, serial, c.var.user.id);
  // Presence first: asking the hub also records connections an edge restart lost, which the
  // rows read next must already say.
  const { online } = await hubFor(c.env, serial).presence();
  const rows = await recentConnections(c.var.db, serial);
  return c.json(diagnosticsOf(device, online, rows, new Date()));
});

export function diagnosticsOf(device: DeviceRow, online: boolean, rows: readonly DeviceConnectionRow[], now: Date): CameraDiagnostics {
  const seen = [device.lastSeenAt, ...rows.map((r) => r.lastSeenAt)].filter((d): d is Date => d !== null).map((d) => d.getTime());
  const lastOnline = online ? now.getTime() : seen.length ? Math.max(...seen) : null;
  return {
    serial: device.serial,
    online,
    revoked: device.revoked,
    lastOnlineAt: lastOnline === null ? null : new Date(lastOnline).toISOString(),
    connections: rows.map(recordOf),
    nat: device.natStatus && device.natStatusAt ? { ...device.natStatus, receivedAt: device.natStatusAt.toISOString() } : null,
    doctor: device.doctorReport && device.doctorReportAt ? { receivedAt: device.doctorReportAt.toISOString(), checks: device.doctorReport } : null,
  };
}

function recordOf(r: DeviceConnectionRow): ConnectionRecord {
  return {
    connectedAt: r.connectedAt.toISOString(),
    endedAt: r.endedAt ? r.endedAt.toISOString() : null,
    lastSeenAt: r.lastSeenAt ? r.lastSeenAt.toISOString() : null,
    // A reason this edge version does not know (rows written by a newer one) reads as open.
    reason: (CONNECTION_END_REASONS as readonly string[]).includes(r.reason ?? "") ? r.reason : null,
    closeCode: r.closeCode,
  };
}
