// Why: the hub's side of viewer_sessions — who watched which camera, when, how long, over
// which path. Written by the DeviceHub as effects of the hub logic (start at hello, path when
// the viewer reports it, end however the session ends). Reads live in viewer-sessions.ts.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { PathKind } from "../../../protocol/index.ts";
import type { Db } from "./client.ts";
import { viewerSessions } from "./schema.ts";

export interface SessionStart {
  sessionId: string;
  serial: string;
  userId: string | null;
  role: "owner" | "viewer" | "guest" | "code";
  startedAt: Date;
}

export async function insertViewerSession(d: Db, s: SessionStart): Promise<void> {
  await d.insert(viewerSessions).values(s).onConflictDoNothing().run();
}

export async function setViewerSessionPath(d: Db, sessionId: string, path: PathKind): Promise<void> {
  await d.update(viewerSessions).set({ path }).where(eq(viewerSessions.sessionId, sessionId)).run();
}

/** Ends the session once (a later end for the same session changes nothing). */
export async function endViewerSession(d: Db, sessionId: string, endedAt: Date, reason: string): Promise<void> {
  await d
    .update(viewerSessions)
    .set({ endedAt, durationMs: sql`max(0, ${endedAt.getTime()} - ${viewerSessions.startedAt})`, endReason: reason.slice(0, 200) })
    .where(and(eq(viewerSessions.sessionId, sessionId), isNull(viewerSessions.endedAt)))
    .run();
}
