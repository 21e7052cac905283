// Why: session_reports rows — written once per session by its viewer (an interim report from a
// tab sent to the background may be replaced once by the final one), read with the owner's
// session history. Reports never touch another session's row.
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { sessionReports, users, viewerSessions, type SessionReportRow } from "./schema.ts";

/**
 * The upsert that stores a session's report. The first one wins, except that a final report
 * replaces an interim one (sent as the tab went to the background) — so a session writes at
 * most twice. It changes no row when the session already has its report. Run it through
 * analytics/report-counters.ts storeCountedReport, which counts it in the roll-up with it.
 */
export function putSessionReportQuery(d: Db, row: SessionReportRow) {
  const { sessionId: _id, ...update } = row;
  return d
    .insert(sessionReports)
    .values(row)
    .onConflictDoUpdate({
      target: sessionReports.sessionId,
      set: update,
      setWhere: sql`${sessionReports.final} = 0 and excluded.final = 1`,
    });
}

/** The reports of these sessions, by session id. */
export async function reportsFor(d: Db, sessionIds: string[]): Promise<Map<string, SessionReportRow>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await d.select().from(sessionReports).where(inArray(sessionReports.sessionId, sessionIds)).all();
  return new Map(rows.map((r) => [r.sessionId, r]));
}

/**
 * Reports of sessions the hub never recorded (they failed or were left before the edge's
 * welcome), newest first, with the viewer's email.
 */
export async function reportsWithoutSession(d: Db, serial: string, limit: number) {
  return d
    .select({ report: sessionReports, email: users.email })
    .from(sessionReports)
    .leftJoin(viewerSessions, eq(viewerSessions.sessionId, sessionReports.sessionId))
    .leftJoin(users, eq(sessionReports.userId, users.id))
    .where(and(eq(sessionReports.serial, serial), isNull(viewerSessions.sessionId)))
    .orderBy(desc(sessionReports.startedAt))
    .limit(limit)
    .all();
}
