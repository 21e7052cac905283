// Why: "my cameras": list them, claim one with its label (the caller becomes its owner), and
// the owner's management — settings, rotating the label code, releasing it.
import { Hono } from "hono";
import {
  can,
  ClaimCameraRequestSchema,
  UpdateCameraRequestSchema,
  type CameraList,
  type RotateAccessCodeResponse,
} from "../../../protocol/index.ts";
import { generateAccessCode, hashAccessCode, verifyAccessCode } from "../auth/access-code.ts";
import { withAccessCodeAttempt } from "../auth/access-code-throttle.ts";
import { requireOwner } from "../auth/camera-access.ts";
import { clientIp } from "../auth/client-ip.ts";
import { requireUser, type UserEnv } from "../auth/require-user.ts";
import { audit } from "../db/audit.ts";
import { latestEventAt } from "../db/camera-events.ts";
import { camerasOf, claimOwnership } from "../db/device-access.ts";
import { releaseCamera, setAccessCodeHash, updateCameraSettings } from "../db/device-settings.ts";
import { findDevice } from "../db/devices.ts";
import { PortholeError } from "../errors.ts";
import { hubFor } from "../hub/hub-request.ts";
import { log } from "../log.ts";
import { cameraDiagnosticsRoutes } from "./camera-diagnostics.ts";
import { cameraSessionRoutes } from "./camera-sessions.ts";
import { cameraView } from "./camera-view.ts";
import { eventsKeptSince } from "./events.ts";
import { readBody } from "./read-body.ts";
import { shareRoutes } from "./shares.ts";

export const cameraRoutes = new Hono<UserEnv>();
cameraRoutes.use("*", requireUser);
cameraRoutes.use("*", async (c, next) => {
  await next();
  c.header("cache-control", "no-store");
});
cameraRoutes.route("/", shareRoutes);
cameraRoutes.route("/", cameraSessionRoutes);
cameraRoutes.route("/", cameraDiagnosticsRoutes);

cameraRoutes.get("/", async (c) => {
  const [rows, lastEvents] = await Promise.all([camerasOf(c.var.db, c.var.user.id), latestEventAt(c.var.db, c.var.user.id, eventsKeptSince(Date.now()))]);
  const cameras = await Promise.all(
    rows.map(async (r) => {
      const view = await cameraView(c.env, r.role, r.device);
      // "Motion 5 min ago" on the card: only for those who may see the camera's events.
      const lastEventAt = can(r.role, "playback") ? lastEvents.get(r.device.serial) : undefined;
      return lastEventAt !== undefined ? { ...view, lastEventAt } : view;
    }),
  );
  return c.json({ cameras } satisfies CameraList);
});

cameraRoutes.post("/", async (c) => {
  const { serial, accessCode, name } = await readBody(c, ClaimCameraRequestSchema);
  const d = c.var.db;
  const user = c.var.user;
  const device = await withAccessCodeAttempt(d, serial, clientIp(c), async () => {
    const found = await findDevice(d, serial);
    if (!found) throw PortholeError.deviceNotFound(serial);
    if (found.revoked) throw new PortholeError("device_revoked");
    // The code is checked before ownership, so only someone holding the label learns that a
    // camera is already claimed.
    if (!(await verifyAccessCode(accessCode, found.accessCodeHash))) throw new PortholeError("wrong_access_code");
    return found;
  });
  if (!(await claimOwnership(d, serial, user.id, new Date()))) throw new PortholeError("already_claimed");
  if (name !== undefined) await updateCameraSettings(d, serial, { name });
  await audit(d, { kind: "claim", actorUserId: user.id, serial, detail: name !== undefined ? { name } : undefined });
  log({ event: "camera_claimed", serial, userId: user.id });
  return c.json(await cameraView(c.env, "owner", name !== undefined ? { ...device, name } : device), 201);
});

cameraRoutes.patch("/:serial", async (c) => {
  const serial = c.req.param("serial");
  const user = c.var.user;
  const d = c.var.db;
  const { device } = await requireOwner(d, serial, user.id);
  const changes = await readBody(c, UpdateCameraRequestSchema);
  await updateCameraSettings(d, serial, changes);
  const detail = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;
  await audit(d, { kind: changes.name !== undefined ? "rename" : "settings", actorUserId: user.id, serial, detail });
  log({ event: "camera_updated", serial, userId: user.id });
  return c.json(await cameraView(c.env, "owner", { ...device, ...detail }));
});

cameraRoutes.delete("/:serial", async (c) => {
  const serial = c.req.param("serial");
  const user = c.var.user;
  const d = c.var.db;
  await requireOwner(d, serial, user.id);
  // Access goes first, so nobody can start a new session while the live ones are being ended.
  await releaseCamera(d, serial);
  const sessionsEnded = await hubFor(c.env, serial).endAllSessions("access_revoked");
  await audit(d, { kind: "release", actorUserId: user.id, serial, detail: { sessionsEnded } });
  log({ event: "camera_released", serial, userId: user.id, sessionsEnded });
  return c.body(null, 204);
});

cameraRoutes.post("/:serial/access-code", async (c) => {
  const serial = c.req.param("serial");
  const user = c.var.user;
  const d = c.var.db;
  await requireOwner(d, serial, user.id);
  const accessCode = generateAccessCode();
  await setAccessCodeHash(d, serial, await hashAccessCode(accessCode));
  await audit(d, { kind: "rotate_code", actorUserId: user.id, serial });
  log({ event: "access_code_rotated", serial, userId: user.id });
  return c.json({ serial, accessCode } satisfies RotateAccessCodeResponse);
});
