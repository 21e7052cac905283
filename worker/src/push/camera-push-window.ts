// Why: a windy tree makes a motion event every few seconds; nobody wants 500 notifications. A
// camera sends at most one notification per CAMERA_PUSH_INTERVAL_MS; events in between are held
// back and counted. When the minute is over, one summary goes out — with the next event, or on
// its own (the hub's alarm) for the last one held, saying how many more there were. Pure: the
// DeviceHub keeps the window in its own storage (hub/push-window-store.ts).

export const CAMERA_PUSH_INTERVAL_MS = 60_000;

export interface HeldEvent {
  id: string;
  startedAt: string;
}

/** The camera's last notification, the events held back since, and the latest of them. */
export interface CameraPushWindow {
  sentAt: number | null;
  suppressed: number;
  lastHeld: HeldEvent | null;
}

export const NO_PUSH_YET: CameraPushWindow = { sentAt: null, suppressed: 0, lastHeld: null };

/** Send now (with `more` held-back events), or hold this one back. */
export function decideCameraPush(window: CameraPushWindow, now: number, event: HeldEvent): { send: boolean; more: number; next: CameraPushWindow } {
  if (window.sentAt === null || now - window.sentAt >= CAMERA_PUSH_INTERVAL_MS || now < window.sentAt) {
    return { send: true, more: window.suppressed, next: { sentAt: now, suppressed: 0, lastHeld: null } };
  }
  return { send: false, more: 0, next: { sentAt: window.sentAt, suppressed: window.suppressed + 1, lastHeld: event } };
}

/** When the summary of the held-back events is due (null: nothing held). */
export function summaryAt(window: CameraPushWindow): number | null {
  return window.sentAt !== null && window.suppressed > 0 && window.lastHeld ? window.sentAt + CAMERA_PUSH_INTERVAL_MS : null;
}

/**
 * The summary, once due: the latest held event, counting the others as `more`; the window starts
 * again from it. Undefined when nothing is held or it is not yet due.
 */
export function takeSummary(window: CameraPushWindow, now: number): { event: HeldEvent; more: number; next: CameraPushWindow } | undefined {
  const at = summaryAt(window);
  if (at === null || now < at || !window.lastHeld) return undefined;
  return { event: window.lastHeld, more: window.suppressed - 1, next: { sentAt: now, suppressed: 0, lastHeld: null } };
}
