// Why: the hub's side of viewer_sessions — who watched which camera, when, how long, over
// which path. Written by the DeviceHub as effects of the hub logic (start at hello, path when
// the viewer reports it, end however the session ends). Reads live in viewer-sessions.ts.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { PathKind } from "../../../protocol/index.ts";
import type { Db } from "./client.ts";
import { prepared } from "./prepared.ts";
import { viewerSessions } from "./schema.ts";

export interface SessionStart {
  sessionId: string;
  serial: string;
  userId: string | null;
  role: "owner" | "viewer" | "guest" | "code";
  startedAt: Date;
}

const insertStart = (d: Db) =>
  d
    .insert(viewerSessions)
    .values({
      sessionId: sql.placeholder("sessionId"),
      serial: sql.placeholder("serial"),
      userId: sql.placeholder("userId"),
      role: sql.placeholder("role"),
      startedAt: sql.placeholder("startedAt"),
    })
    .onConflictDoNothing()
    .prepare();

export async function insertViewerSession(d: Db, s: SessionStart): Promise<void> {
  // Insert placeholders go through the column's mapping (a Date for startedAt), as values do.
  await prepared(d, insertStart).run({ ...s });
}

export async function setViewerSessionPath(d: Db, sessionId: string, path: PathKind): Promise<void> {
  await d.update(viewerSessions).set({ path }).where(eq(viewerSessions.sessionId, sessionId)).run();
}

/** Ends the session once (a later end for the same session changes nothing). */
const updateEnd = (d: Db) =>
  d
    .update(viewerSessions)
    .set({
      endedAt: sql`${sql.placeholder("endedAt")}`,
      durationMs: sql`max(0, ${sql.placeholder("endedAt")} - ${viewerSessions.startedAt})`,
      endReason: sql`${sql.placeholder("reason")}`,
    })
    .where(and(eq(viewerSessions.sessionId, sql.placeholder("sessionId")), isNull(viewerSessions.endedAt)))
    .prepare();

export async function endViewerSession(d: Db, sessionId: string, endedAt: Date, reason: string): Promise<void> {
  // Placeholders inside sql`` are bound raw: endedAt as the column stores it (epoch ms).
  await prepared(d, updateEnd).run({ sessionId, endedAt: endedAt.getTime(), reason: reason.slice(0, 200) });
}
