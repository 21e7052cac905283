// Why: the full-screen button works the way each browser allows: the Fullscreen API on the
// picture's box where it exists (controls stay drawn over the video), and on iPhone — which has
// no element fullscreen — the <video>'s own player (webkitEnterFullscreen). Typed against small
// interfaces so the choice is unit-tested without a DOM.
import type { FullscreenKind } from "./browser-support.ts";

export interface FullscreenDocument {
  fullscreenElement?: unknown;
  webkitFullscreenElement?: unknown;
  exitFullscreen?(): Promise<void>;
  webkitExitFullscreen?(): void;
}

export interface FullscreenBox {
  requestFullscreen?(): Promise<void>;
  webkitRequestFullscreen?(): void;
}

export interface FullscreenVideo {
  webkitEnterFullscreen?(): void;
  /** false until the video has metadata (WebKit refuses to enter before that). */
  webkitSupportsFullscreen?: boolean;
}

export type FullscreenResult = "entered" | "exited" | "unavailable";

/** Enters full screen, or leaves it when already there. Never throws; promise rejections are swallowed. */
export function toggleFullscreen(kind: FullscreenKind | null, doc: FullscreenDocument, box: FullscreenBox | null, video: FullscreenVideo | null): FullscreenResult {
  if (kind === "element" && box) {
    if (doc.fullscreenElement || doc.webkitFullscreenElement) {
      if (doc.exitFullscreen) void doc.exitFullscreen().catch(() => undefined);
      else doc.webkitExitFullscreen?.();
      return "exited";
    }
    if (box.requestFullscreen) {
      void box.requestFullscreen().catch(() => undefined);
      return "entered";
    }
    if (box.webkitRequestFullscreen) {
      box.webkitRequestFullscreen();
      return "entered";
    }
  }
  // The video player's own full screen is left with its own Done button.
  if ((kind === "video" || kind === "element") && video?.webkitEnterFullscreen && video.webkitSupportsFullscreen !== false) {
    try {
      video.webkitEnterFullscreen();
      return "entered";
    } catch {
      return "unavailable"; // InvalidStateError: no metadata yet
    }
  }
  return "unavailable";
}
