// Why: the events page fetches missing pictures itself, but a picture comes only over a WebRTC
// session with the camera — a viewer slot, a video encoder started, a line in the owner's
// session history. So this plan is stingy: one camera at a time, only cameras online with a
// free viewer slot that this person may play back, only events shown without a kept picture,
// a few per camera, newest first, and each camera tried once per visit to the page.
import type { Camera } from "../../../protocol/accounts.ts";
import type { IndexedEvent } from "../../../protocol/events-api.ts";
import { can } from "../../../protocol/roles.ts";

/** Pictures asked of one camera per session (the newest of those missing). */
export const THUMBNAILS_PER_SESSION = 12;

export interface ThumbnailRun {
  serial: string;
  events: IndexedEvent[];
}

/**
 * The next camera to ask, with the events to ask it for, or null when there is none.
 * `hasPicture(e)`: a picture of e is kept on this device; `tried`: cameras already asked.
 */
export function nextThumbnailRun(
  events: readonly IndexedEvent[],
  cameras: readonly Pick<Camera, "serial" | "role" | "online" | "viewers" | "maxViewers">[] | null,
  hasPicture: (e: IndexedEvent) => boolean,
  tried: ReadonlySet<string>,
): ThumbnailRun | null {
  const askable = new Set(
    (cameras ?? []).filter((c) => c.online && c.viewers < c.maxViewers && can(c.role, "playback") && !tried.has(c.serial)).map((c) => c.serial),
  );
  // The camera of the newest event without a picture goes first: that is what the person sees at the top.
  const first = events.find((e) => askable.has(e.serial) && !hasPicture(e));
  if (!first) return null;
  const missing = events.filter((e) => e.serial === first.serial && !hasPicture(e)).slice(0, THUMBNAILS_PER_SESSION);
  return { serial: first.serial, events: missing };
}
