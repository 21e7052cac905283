// Why: a camera's last picture kept on this device (its newest event thumbnail or a frame of
// when it was last watched), for its card in "My cameras" and behind a multi-view tile until the
// video plays. Re-read whenever picture-cache.ts says this camera's picture changed.
import { useEffect, useState } from "preact/hooks";
import { cameraPictureKey } from "../lib/picture-cache-policy.ts";
import { loadPicture, PICTURE_CHANGED } from "../lib/picture-cache.ts";

export interface KeptPicture {
  url: string;
  takenAt: number;
}

/** The picture kept under `key` as an object URL (revoked when replaced or unmounted), or null;
 * re-read whenever picture-cache.ts saves that key. */
export function useKeptPicture(key: string): KeptPicture | null {
  const [picture, setPicture] = useState<KeptPicture | null>(null);
  useEffect(() => {
    let alive = true;
    let url: string | null = null;
    const read = async () => {
      const kept = await loadPicture(key);
      if (!alive) return;
      if (url) URL.revokeObjectURL(url);
      url = kept ? URL.createObjectURL(kept.blob) : null;
      setPicture(kept && url ? { url, takenAt: kept.takenAt } : null);
    };
    const onChange = (e: Event) => {
      if ((e as CustomEvent<string>).detail === key) void read();
    };
    void read();
    addEventListener(PICTURE_CHANGED, onChange);
    return () => {
      alive = false;
      removeEventListener(PICTURE_CHANGED, onChange);
      if (url) URL.revokeObjectURL(url);
    };
  }, [key]);
  return picture;
}

/** A camera's card picture (its newest event thumbnail or frame seen here), or null. */
export function useCameraPicture(serial: string): KeptPicture | null {
  return useKeptPicture(cameraPictureKey(serial));
}
