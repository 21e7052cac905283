// Why: the owner shares a camera with another account as viewer or guest, and takes it back.
// Taking it back also ends that person's live sessions at once (the hub closes them).
import { Hono } from "hono";
import { CreateShareRequestSchema, UserIdSchema, type Share, type ShareList } from "../../../protocol/index.ts";
import { requireOwner } from "../auth/camera-access.ts";
import type { UserEnv } from "../auth/require-user.ts";
import { audit } from "../db/audit.ts";
import { deleteShare, roleOf, sharesOf, upsertShare } from "../db/device-access.ts";
import { findUserByEmail } from "../db/users.ts";
import { PortholeError } from "../errors.ts";
import { hubFor } from "../hub/hub-request.ts";
import { log } from "../log.ts";
import { readBody } from "./read-body.ts";

/** Mounted inside cameraRoutes, whose middleware has already required a signed-in user. */
export const shareRoutes = new Hono<UserEnv>();

shareRoutes.get("/:serial/shares", async (c) => {
  const serial = c.req.param("serial");
  await requireOwner(c.var.db, serial, c.var.user.id);
  const rows = await sharesOf(c.var.db, serial);
  return c.json({ shares: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) } satisfies ShareList);
});

shareRoutes.post("/:serial/shares", async (c) => {
  const serial = c.req.param("serial");
  const owner = c.var.user;
  const d = c.var.db;
  await requireOwner(d, serial, owner.id);
  const { email, role } = await readBody(c, CreateShareRequestSchema);
  // Telling the owner that no account has this email is an accepted disclosure: the owner is
  // signed in and the share cannot work otherwise. (Sign-in never reveals it.)
  const target = await findUserByEmail(d, email);
  if (!target) throw new PortholeError("user_not_found");
  const previous = await roleOf(d, serial, target.id);
  // Covers sharing with yourself too: only the owner gets here.
  if (previous === "owner") throw new PortholeError("forbidden", "The owner's role cannot be changed.");
  const now = new Date();
  await upsertShare(d, { serial, userId: target.id, role, grantedBy: owner.id, now });
  // A changed role must not live on in sessions granted under the old one: end them, and the
  // person reconnects with the new role.
  if (previous !== undefined && previous !== role) await hubFor(c.env, serial).endSessionsForUser(target.id, "access_revoked");
  await audit(d, { kind: "share", actorUserId: owner.id, serial, subjectUserId: target.id, detail: { role, previous: previous ?? null } });
  log({ event: "camera_shared", serial, userId: owner.id, subjectUserId: target.id, role });
  const share = (await sharesOf(d, serial)).find((s) => s.userId === target.id);
  if (!share) throw new Error("share vanished after upsert");
  return c.json({ ...share, createdAt: share.createdAt.toISOString() } satisfies Share, previous === undefined ? 201 : 200);
});

/** Idempotent: removing a share that is already gone still ends any session left behind. */
shareRoutes.delete("/:serial/shares/:userId", async (c) => {
  const serial = c.req.param("serial");
  const userId = c.req.param("userId");
  const owner = c.var.user;
  const d = c.var.db;
  await requireOwner(d, serial, owner.id);
  if (!UserIdSchema.safeParse(userId).success) throw PortholeError.badRequest("userId is not a user id");
  if (userId === owner.id) throw new PortholeError("forbidden", "The owner cannot unshare their own camera; release it instead.");
  const removed = await deleteShare(d, serial, userId);
  const sessionsEnded = await hubFor(c.env, serial).endSessionsForUser(userId, "access_revoked");
  if (removed) await audit(d, { kind: "unshare", actorUserId: owner.id, serial, subjectUserId: userId, detail: { sessionsEnded } });
  log({ event: "camera_unshared", serial, userId: owner.id, subjectUserId: userId, sessionsEnded });
  return c.body(null, 204);
});
