// Why: the events page's pictures come from the cameras themselves (the edge never holds one).
// This asks one camera for the thumbnails of events shown without one: a session of its own
// without a video element, ended as soon as the pictures are in (or after SWEEP_TIMEOUT_MS).
// Which camera and which events is decided by lib/event-timeline-thumbnails.ts.
import type { IndexedEvent } from "../../../protocol/events-api.ts";
import type { ThumbnailRun } from "../lib/event-timeline-thumbnails.ts";
import { eventPictureKey } from "../lib/picture-cache-policy.ts";
import { loadPicture } from "../lib/picture-cache.ts";
import type { ControlClient } from "./control-client.ts";
import { fetchEventThumbnail } from "./event-thumbnails.ts";
import { createSessionStore, type SessionStore } from "./store.ts";
import { ViewerSession } from "./viewer-session.ts";

/** Longest a camera is kept busy for its pictures: the connection, then the JPEGs. */
export const SWEEP_TIMEOUT_MS = 9_000;

/** The events among `events` with a picture kept on this device (as `serial/id`). */
export async function keptPictures(events: readonly IndexedEvent[]): Promise<Set<string>> {
  const kept = new Set<string>();
  await Promise.all(
    events.map(async (e) => {
      if (await loadPicture(eventPictureKey(e.serial, e.id))) kept.add(`${e.serial}/${e.id}`);
    }),
  );
  return kept;
}

/** The camera's data channel once the session has one; null when it failed, ended or took too long. */
function controlsOf(session: ViewerSession, store: SessionStore, signal: AbortSignal, deadline: number): Promise<ControlClient | null> {
  return new Promise((resolve) => {
    const tick = () => {
      const phase = store.getState().phase;
      if (session.controls) return resolve(session.controls);
      if (signal.aborted || phase === "failed" || phase === "ended" || Date.now() > deadline) return resolve(null);
      setTimeout(tick, 100);
    };
    tick();
  });
}

/**
 * Connects to `run.serial`, fetches the run's thumbnails into the picture cache (saving one tells
 * its row, picture-cache.ts PICTURE_CHANGED) and disconnects. Resolves whether the camera answered.
 */
export async function fetchRunThumbnails(run: ThumbnailRun, signal: AbortSignal): Promise<boolean> {
  const store = createSessionStore();
  // No video element: the camera's video arrives and is dropped; nothing plays or makes sound.
  // No session report either: nobody watched.
  const session = new ViewerSession({ store, video: () => null, purpose: "pictures" });
  const deadline = Date.now() + SWEEP_TIMEOUT_MS;
  try {
    void session.connect(run.serial);
    const client = await controlsOf(session, store, signal, deadline);
    if (!client) return false;
    const timeLeft = new Promise<void>((r) => setTimeout(r, Math.max(0, deadline - Date.now())));
    const pictures = run.events.map(async (e) => {
      if (signal.aborted) return;
      // A missing one is no error: the camera pruned the event or made no picture of it.
      // Saving it tells the page (picture-cache.ts PICTURE_CHANGED).
      await fetchEventThumbnail(client, run.serial, e.id, e.startedAt).catch(() => undefined);
    });
    await Promise.race([Promise.all(pictures), timeLeft]);
    return true;
  } finally {
    session.disconnect();
  }
}
