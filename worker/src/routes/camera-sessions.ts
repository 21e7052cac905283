// Why: the owner sees who watched their camera recently, when, for how long and over which path.
import { Hono } from "hono";
import { PathKindSchema, type SessionRecord, type SessionRecordList } from "../../../protocol/index.ts";
import { requireOwner } from "../auth/camera-access.ts";
import type { UserEnv } from "../auth/require-user.ts";
import { recentSessions } from "../db/viewer-sessions.ts";

/** Mounted inside cameraRoutes, whose middleware has already required a signed-in user. */
export const cameraSessionRoutes = new Hono<UserEnv>();

cameraSessionRoutes.get("/:serial/sessions", async (c) => {
  const serial = c.req.param("serial");
  await requireOwner(c.var.db, serial, c.var.user.id);
  const rows = await recentSessions(c.var.db, serial, 50);
  const sessions = rows.map(({ session: s, email }): SessionRecord => ({
    sessionId: s.sessionId,
    email,
    role: s.role,
    startedAt: s.startedAt.toISOString(),
    endedAt: s.endedAt ? s.endedAt.toISOString() : null,
    durationMs: s.durationMs,
    path: PathKindSchema.safeParse(s.path).data ?? null,
    endReason: s.endReason,
  }));
  return c.json({ sessions } satisfies SessionRecordList);
});
