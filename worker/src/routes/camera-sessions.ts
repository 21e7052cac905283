// Why: the owner sees who watched their camera recently, when, for how long, over which path,
// and — from each session's own report — how far it got, how fast, and why it failed.
import { Hono } from "hono";
import { PathKindSchema, type SessionRecord, type SessionRecordList } from "../../../protocol/index.ts";
import { requireOwner } from "../auth/camera-access.ts";
import type { UserEnv } from "../auth/require-user.ts";
import { reportsFor, reportsWithoutSession } from "../db/session-reports.ts";
import { recentSessions } from "../db/viewer-sessions.ts";
import { storedReport } from "../reports/report-row.ts";

const HISTORY_LIMIT = 50;

/** Mounted inside cameraRoutes, whose middleware has already required a signed-in user. */
export const cameraSessionRoutes = new Hono<UserEnv>();

cameraSessionRoutes.get("/:serial/sessions", async (c) => {
  const serial = c.req.param("serial");
  await requireOwner(c.var.db, serial, c.var.user.id);
  const [rows, orphans] = await Promise.all([recentSessions(c.var.db, serial, HISTORY_LIMIT), reportsWithoutSession(c.var.db, serial, HISTORY_LIMIT)]);
  const reports = await reportsFor(
    c.var.db,
    rows.map((r) => r.session.sessionId),
  );
  const recorded = rows.map(({ session: s, email }): SessionRecord => {
    const report = reports.get(s.sessionId);
    return {
      sessionId: s.sessionId,
      email,
      role: s.role,
      startedAt: s.startedAt.toISOString(),
      endedAt: s.endedAt ? s.endedAt.toISOString() : null,
      durationMs: s.durationMs,
      path: PathKindSchema.safeParse(s.path).data ?? report?.path ?? null,
      endReason: s.endReason,
      report: report ? storedReport(report) : null,
    };
  });
  // Sessions that ended before the edge's welcome exist only as their report.
  const reportedOnly = orphans.map(({ report: r, email }): SessionRecord => ({
    sessionId: r.sessionId,
    email,
    role: r.role,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.receivedAt.toISOString(),
    durationMs: r.durationMs,
    path: r.path,
    endReason: r.cause,
    report: storedReport(r),
  }));
  const sessions = [...recorded, ...reportedOnly]
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || (a.sessionId < b.sessionId ? 1 : -1))
    .slice(0, HISTORY_LIMIT);
  return c.json({ sessions } satisfies SessionRecordList);
});
