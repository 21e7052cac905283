// Why: the camera's notification window (push/camera-push-window.ts) must survive the hub's
// hibernation between events — a windy tree fires every few seconds, and an object that forgot
// would notify each time it woke. One row in the Durable Object's SQLite, read and written
// synchronously, so two events in a row cannot both pass. The serial is kept with it: the alarm
// that sends a summary may wake an object that holds no socket to learn it from.
import { decideCameraPush, NO_PUSH_YET, summaryAt, takeSummary, type CameraPushWindow, type HeldEvent } from "../push/camera-push-window.ts";

type Row = {
  serial: string;
  sent_at: number | null;
  suppressed: number;
  last_id: string | null;
  last_started_at: string | null;
};

export class PushWindowStore {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(
      "CREATE TABLE IF NOT EXISTS camera_push_window (k INTEGER PRIMARY KEY CHECK (k = 1), serial TEXT NOT NULL, sent_at INTEGER, suppressed INTEGER NOT NULL, last_id TEXT, last_started_at TEXT)",
    );
  }

  private read(): { serial: string; window: CameraPushWindow } | undefined {
    const row = this.sql.exec<Row>("SELECT serial, sent_at, suppressed, last_id, last_started_at FROM camera_push_window WHERE k = 1").toArray()[0];
    if (!row) return undefined;
    const lastHeld = row.last_id && row.last_started_at ? { id: row.last_id, startedAt: row.last_started_at } : null;
    return { serial: row.serial, window: { sentAt: row.sent_at, suppressed: row.suppressed, lastHeld } };
  }

  private write(serial: string, w: CameraPushWindow): void {
    this.sql.exec(
      `INSERT INTO camera_push_window (k, serial, sent_at, suppressed, last_id, last_started_at) VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (k) DO UPDATE SET serial = excluded.serial, sent_at = excluded.sent_at, suppressed = excluded.suppressed,
         last_id = excluded.last_id, last_started_at = excluded.last_started_at`,
      serial,
      w.sentAt,
      w.suppressed,
      w.lastHeld?.id ?? null,
      w.lastHeld?.startedAt ?? null,
    );
  }

  /** Decides this event and remembers the outcome: send (with `more` held back) or hold until `summaryAt`. */
  decide(serial: string, now: number, event: HeldEvent): { send: boolean; more: number; summaryAt: number | null } {
    const d = decideCameraPush(this.read()?.window ?? NO_PUSH_YET, now, event);
    this.write(serial, d.next);
    return { send: d.send, more: d.more, summaryAt: d.send ? null : summaryAt(d.next) };
  }

  /** When a summary is due (null: nothing held). */
  summaryAt(): number | null {
    const r = this.read();
    return r ? summaryAt(r.window) : null;
  }

  /** The due summary, taken (the window restarts): the serial, the latest held event and how many more. */
  takeDueSummary(now: number): { serial: string; event: HeldEvent; more: number } | undefined {
    const r = this.read();
    const s = r && takeSummary(r.window, now);
    if (!r || !s) return undefined;
    this.write(r.serial, s.next);
    return { serial: r.serial, event: s.event, more: s.more };
  }
}
