// Why: an event's thumbnail crosses the camera's data channel once per device. The picture
// cache (IndexedDB) is read first; a fetch goes over the bulk channel at most two at a time, so
// a long list of events never queues twenty JPEGs in front of a PTZ command or a recording
// segment. The same event asked for twice while on its way shares one transfer.
import { eventPictureKey } from "../lib/picture-cache-policy.ts";
import { loadPicture, rememberCameraPicture, savePicture } from "../lib/picture-cache.ts";
import type { ControlClient } from "./control-client.ts";

/** Thumbnails on the bulk channel at once (per browser tab). */
export const THUMBNAIL_FETCHES_AT_ONCE = 2;

const inFlight = new Map<string, Promise<Blob>>();
const waiting: Array<() => void> = [];
let running = 0;

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= THUMBNAIL_FETCHES_AT_ONCE) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * The JPEG of motion event `id` of camera `serial`: from this device's picture cache, else
 * fetched with events.thumbnail and kept. `start` (the event's start, Unix ms) dates the kept
 * picture and offers it as the camera's card picture; without it the picture is dated now and
 * the card is left alone. Rejects with the ControlRequestError of the request (e.g. not_found:
 * the camera pruned the event, or it has no picture yet).
 */
export function fetchEventThumbnail(client: ControlClient, serial: string, id: string, start?: number): Promise<Blob> {
  const key = eventPictureKey(serial, id);
  const known = inFlight.get(key);
  if (known) return known;
  const p = (async () => {
    const kept = await loadPicture(key);
    if (kept) return kept.blob;
    const blob = await slot(async () => {
      const r = await client.request("events.thumbnail", { id });
      const bytes = await client.transfer(r.transfer, r.bytes);
      return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: r.mime });
    });
    await savePicture(key, blob, start ?? Date.now());
    if (start !== undefined) await rememberCameraPicture(serial, blob, start);
    return blob;
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

/** A thumbnail already kept on this device, without asking the camera (null when none). */
export async function keptEventThumbnail(serial: string, id: string): Promise<Blob | null> {
  return (await loadPicture(eventPictureKey(serial, id)))?.blob ?? null;
}
