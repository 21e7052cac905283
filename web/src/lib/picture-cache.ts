// Why: pictures kept on this device (IndexedDB), never on the edge: a camera's card picture and
// the event thumbnails already fetched peer-to-peer. Rules in picture-cache-policy.ts. Every call
// resolves (null / no-op) when storage is unavailable (private mode, old browsers): a missing
// picture only shows the placeholder.
import { cameraPictureKey, picturesToPrune, replacesCardPicture, type PictureMeta } from "./picture-cache-policy.ts";

const DB_NAME = "porthole-pictures";
const STORE = "pictures";

interface Row extends PictureMeta {
  blob: Blob;
}

let opening: Promise<IDBDatabase | null> | null = null;

function db(): Promise<IDBDatabase | null> {
  if (opening) return opening;
  opening = new Promise((resolve) => {
    if (typeof indexedDB === "undefined") return resolve(null);
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "key" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
    req.onblocked = () => resolve(null);
  });
  return opening;
}

function run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T | null> {
  return db().then(
    (d) =>
      new Promise<T | null>((resolve) => {
        if (!d) return resolve(null);
        try {
          const req = op(d.transaction(STORE, mode).objectStore(STORE));
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => resolve(null);
        } catch {
          resolve(null);
        }
      }),
  );
}

/** The kept picture under `key`, or null. */
export async function loadPicture(key: string): Promise<{ blob: Blob; takenAt: number } | null> {
  const row = (await run<Row | undefined>("readonly", (s) => s.get(key) as IDBRequest<Row | undefined>)) ?? null;
  return row ? { blob: row.blob, takenAt: row.takenAt } : null;
}

/** Keeps a picture under `key` (replacing it), tells the page (PICTURE_CHANGED), then prunes the
 * oldest beyond the limit. */
export async function savePicture(key: string, blob: Blob, takenAt: number): Promise<void> {
  await run("readwrite", (s) => s.put({ key, blob, takenAt } satisfies Row));
  if (typeof dispatchEvent === "function") dispatchEvent(new CustomEvent(PICTURE_CHANGED, { detail: key }));
  const metas = await run<Row[]>("readonly", (s) => s.getAll() as IDBRequest<Row[]>);
  for (const k of picturesToPrune((metas ?? []).map((m) => ({ key: m.key, takenAt: m.takenAt })))) await run("readwrite", (s) => s.delete(k));
}

/** Offers a picture for a camera's card; kept only when newer than the one it has. */
export async function rememberCameraPicture(serial: string, blob: Blob, takenAt: number): Promise<void> {
  const key = cameraPictureKey(serial);
  const kept = await loadPicture(key);
  if (!replacesCardPicture(kept ? { key, takenAt: kept.takenAt } : null, takenAt)) return;
  await savePicture(key, blob, takenAt);
}

/** Fired on window with the key whenever a kept picture is saved (cards and rows re-read it). */
export const PICTURE_CHANGED = "porthole:picture";
