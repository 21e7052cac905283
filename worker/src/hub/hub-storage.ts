// Why: what the hub keeps in its Durable Object's SQLite, because memory does not survive an
// eviction: sessions under way (a restart drops every socket without webSocketClose, and the
// rows are what a viewer resumes after it), the camera's absence deadline, and the ticket ids
// already used (a ticket is single-use until it expires). Read once per wake, written only
// when the hub's state changes.
import type { StoredSession } from "./hub-memory.ts";
import type { ViewerConn } from "./types.ts";

/** How often expired ticket ids are swept (tickets live 60 s; a sweep per connect was waste). */
const TICKET_SWEEP_MS = 60_000;

export class HubStorage {
  private readonly sql: SqlStorage;
  private lastSweep = 0;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec("CREATE TABLE IF NOT EXISTS used_tickets (sid TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)");
    // `until` is null while a socket carries the session, else when its grace ends (grace.ts).
    sql.exec("CREATE TABLE IF NOT EXISTS live_sessions (sid TEXT PRIMARY KEY, conn TEXT NOT NULL, until INTEGER)");
    sql.exec("CREATE TABLE IF NOT EXISTS hub_flags (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
  }

  /**
   * Marks the ticket's session id used; false when it already was. RETURNING, not rowsWritten:
   * rowsWritten also counts the primary-key index row.
   */
  useTicket(sessionId: string, expiresAt: number, nowMs: number): boolean {
    if (nowMs - this.lastSweep >= TICKET_SWEEP_MS) {
      this.lastSweep = nowMs;
      this.sql.exec("DELETE FROM used_tickets WHERE expires_at < ?", Math.floor(nowMs / 1000));
    }
    const inserted = this.sql
      .exec("INSERT INTO used_tickets (sid, expires_at) VALUES (?, ?) ON CONFLICT (sid) DO NOTHING RETURNING sid", sessionId, expiresAt)
      .toArray();
    return inserted.length === 1;
  }

  sessions(): StoredSession[] {
    return this.sql
      .exec<{ conn: string; until: number | null }>("SELECT conn, until FROM live_sessions")
      .toArray()
      .map((r) => ({ conn: JSON.parse(r.conn) as ViewerConn, until: r.until }));
  }

  putSession(s: StoredSession): void {
    this.sql.exec(
      "INSERT INTO live_sessions (sid, conn, until) VALUES (?, ?, ?) ON CONFLICT (sid) DO UPDATE SET conn = excluded.conn, until = excluded.until",
      s.conn.sessionId,
      JSON.stringify(s.conn),
      s.until,
    );
  }

  dropSession(sessionId: string): void {
    this.sql.exec("DELETE FROM live_sessions WHERE sid = ?", sessionId);
  }

  deviceAwayUntil(): number | null {
    return this.sql.exec<{ value: number }>("SELECT value FROM hub_flags WHERE name = 'device_away_until'").toArray()[0]?.value ?? null;
  }

  setDeviceAwayUntil(until: number | null): void {
    if (until === null) this.sql.exec("DELETE FROM hub_flags WHERE name = 'device_away_until'");
    else this.sql.exec("INSERT INTO hub_flags (name, value) VALUES ('device_away_until', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", until);
  }
}
