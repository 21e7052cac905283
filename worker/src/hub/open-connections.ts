// Why: an edge restart drops every socket without a close event, so the hub could never say
// how those connections ended. It notes each device connection here (DO SQLite, which survives
// the restart) until it ends; one still noted without a socket ended in the restart.
import type { OpenConnection } from "./connection-end.ts";

export class OpenConnections {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec("CREATE TABLE IF NOT EXISTS open_device_conns (id TEXT PRIMARY KEY, connected_at INTEGER NOT NULL, last_seen INTEGER NOT NULL)");
  }

  open(id: string, connectedAt: number): void {
    this.sql.exec("INSERT INTO open_device_conns (id, connected_at, last_seen) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING", id, connectedAt, connectedAt);
  }

  /** Moves the connection's last sign of life forward (never back). */
  seen(id: string, at: number): void {
    this.sql.exec("UPDATE open_device_conns SET last_seen = ? WHERE id = ? AND last_seen < ?", at, id, at);
  }

  close(id: string): void {
    this.sql.exec("DELETE FROM open_device_conns WHERE id = ?", id);
  }

  all(): OpenConnection[] {
    return this.sql
      .exec<{ id: string; connected_at: number; last_seen: number }>("SELECT id, connected_at, last_seen FROM open_device_conns")
      .toArray()
      .map((r) => ({ id: r.id, connectedAt: r.connected_at, lastSeen: r.last_seen }));
  }
}
