// Why: a camera's card shows what it last saw. While it plays, a frame of the <video> is kept on
// this device (picture-cache.ts) — a few seconds after it goes live (the first frames can still
// be a keyframe's blur), once a minute while watched, and as the screen is left — so "My
// cameras" has a recent picture even for a camera with no motion events.
import type { Ref } from "preact";
import { useEffect } from "preact/hooks";
import { rememberCameraPicture } from "../lib/picture-cache.ts";

/** Delay after going live before the first picture; then the interval while it stays live. */
export const FIRST_PICTURE_MS = 3_000;
export const PICTURE_EVERY_MS = 60_000;
/** Card pictures are small: about a phone card's width at 2×, JPEG. */
const PICTURE_WIDTH = 640;
const JPEG_QUALITY = 0.8;

/** The playing frame as a JPEG ≈640 px wide, or null when the video shows nothing (yet). */
export function grabFrame(video: HTMLVideoElement): Promise<Blob | null> {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (!w || !h || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || !video.srcObject) return Promise.resolve(null);
  const width = Math.min(PICTURE_WIDTH, w);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = Math.round((h * width) / w);
  const ctx = canvas.getContext("2d");
  if (!ctx) return Promise.resolve(null);
  // Drawn now, synchronously: the caller may be tearing the session (and the stream) down next.
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b), "image/jpeg", JPEG_QUALITY));
}

function remember(serial: string, video: HTMLVideoElement | null): void {
  if (!video) return;
  void grabFrame(video).then((blob) => (blob ? rememberCameraPicture(serial, blob, Date.now()) : undefined));
}

const current = (ref: Ref<HTMLVideoElement>): HTMLVideoElement | null => (ref && typeof ref === "object" ? ref.current : null);

/**
 * Keeps pictures of `serial` while `live`. Call it before the hook that ends the session, so
 * the last picture is taken while the stream is still attached (hook cleanups run in order).
 */
export function useRememberPicture(serial: string, video: Ref<HTMLVideoElement>, live: boolean): void {
  useEffect(() => {
    if (!live) return;
    // The element as it is now: by cleanup time a ref may already point nowhere.
    const el = current(video);
    const first = setTimeout(() => remember(serial, current(video) ?? el), FIRST_PICTURE_MS);
    const every = setInterval(() => remember(serial, current(video) ?? el), PICTURE_EVERY_MS);
    // The tab going to the background may be the last time this page runs.
    const onHide = () => {
      if (document.visibilityState === "hidden") remember(serial, current(video) ?? el);
    };
    document.addEventListener("visibilitychange", onHide);
    return () => {
      clearTimeout(first);
      clearInterval(every);
      document.removeEventListener("visibilitychange", onHide);
      remember(serial, current(video) ?? el);
    };
  }, [serial, live]);
}
