// Why: which pictures this device keeps — pure rules for picture-cache.ts, so they are tested
// without a browser. A camera's card shows its newest picture (an event thumbnail or a frame of
// the last time it was watched); event thumbnails are kept so the timeline does not fetch them
// over the camera's data channel again.

/** One kept picture's bookkeeping (the JPEG itself is stored beside it). */
export interface PictureMeta {
  key: string;
  /** When the picture was taken (Unix ms): the camera's clock for events, ours for frames. */
  takenAt: number;
}

/** At most this many pictures per device; the oldest go first. ~40 KB each at 640×360. */
export const PICTURE_CACHE_MAX = 300;

/** The key of a camera's card picture. */
export const cameraPictureKey = (serial: string): string => `camera:${serial}`;
/** The key of one motion event's thumbnail. */
export const eventPictureKey = (serial: string, eventId: string): string => `event:${serial}:${eventId}`;

/** A new card picture replaces the kept one only when it is newer (an old event's thumbnail
 * fetched later must not hide the frame seen a minute ago). */
export function replacesCardPicture(kept: PictureMeta | null, takenAt: number): boolean {
  return kept === null || takenAt > kept.takenAt;
}

/** The keys to delete so that at most `max` remain, oldest taken first. */
export function picturesToPrune(all: readonly PictureMeta[], max = PICTURE_CACHE_MAX): string[] {
  if (all.length <= max) return [];
  return [...all].sort((a, b) => a.takenAt - b.takenAt).slice(0, all.length - max).map((m) => m.key);
}
