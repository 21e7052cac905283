// Why: the owner's "recent sessions" view reads viewer_sessions (written by the hub) with the
// viewer's email, newest first.
import { desc, eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { users, viewerSessions } from "./schema.ts";

export async function recentSessions(d: Db, serial: string, limit = 50) {
  return d
    .select({ session: viewerSessions, email: users.email })
    .from(viewerSessions)
    .leftJoin(users, eq(viewerSessions.userId, users.id))
    .where(eq(viewerSessions.serial, serial))
    .orderBy(desc(viewerSessions.startedAt), desc(viewerSessions.sessionId))
    .limit(limit)
    .all();
}
