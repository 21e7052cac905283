// Why: the camera's notification window (push/camera-push-window.ts) must survive the hub's
// hibernation between events — a windy tree fires every few seconds, and an object that forgot
// would notify each time it woke. One row in the Durable Object's SQLite, read and written
// synchronously, so two events in a row cannot both pass.
import { decideCameraPush, NO_PUSH_YET, type CameraPushWindow } from "../push/camera-push-window.ts";

export class PushWindowStore {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec("CREATE TABLE IF NOT EXISTS push_window (k INTEGER PRIMARY KEY CHECK (k = 1), sent_at INTEGER, suppressed INTEGER NOT NULL)");
  }

  private read(): CameraPushWindow {
    const row = this.sql.exec<{ sent_at: number | null; suppressed: number }>("SELECT sent_at, suppressed FROM push_window WHERE k = 1").toArray()[0];
    return row ? { sentAt: row.sent_at, suppressed: row.suppressed } : NO_PUSH_YET;
  }

  /** Decides this event and remembers the outcome: send (with `more` held back) or hold. */
  decide(now: number): { send: boolean; more: number; heldSince: number } {
    const d = decideCameraPush(this.read(), now);
    this.sql.exec(
      "INSERT INTO push_window (k, sent_at, suppressed) VALUES (1, ?, ?) ON CONFLICT (k) DO UPDATE SET sent_at = excluded.sent_at, suppressed = excluded.suppressed",
      d.next.sentAt,
      d.next.suppressed,
    );
    return { send: d.send, more: d.more, heldSince: d.next.sentAt ?? now };
  }
}
