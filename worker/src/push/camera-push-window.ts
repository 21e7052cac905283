// Why: a windy tree makes a motion event every few seconds; nobody wants 500 notifications. A
// camera sends at most one notification per CAMERA_PUSH_INTERVAL_MS; events in between are
// counted, and the next notification says how many more there were (the summary). Pure: the
// DeviceHub keeps the window in its own storage (hub/push-window-store.ts).

export const CAMERA_PUSH_INTERVAL_MS = 60_000;

/** The camera's last notification and the events held back since. */
export interface CameraPushWindow {
  sentAt: number | null;
  suppressed: number;
}

export const NO_PUSH_YET: CameraPushWindow = { sentAt: null, suppressed: 0 };

/** Send now (with `more` held-back events), or hold this one back. */
export function decideCameraPush(window: CameraPushWindow, now: number): { send: boolean; more: number; next: CameraPushWindow } {
  if (window.sentAt === null || now - window.sentAt >= CAMERA_PUSH_INTERVAL_MS || now < window.sentAt) {
    return { send: true, more: window.suppressed, next: { sentAt: now, suppressed: 0 } };
  }
  return { send: false, more: 0, next: { sentAt: window.sentAt, suppressed: window.suppressed + 1 } };
}
