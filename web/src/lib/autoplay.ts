// Why: live video autoplays muted and inline, which iPhone Safari allows — except when it does
// not (Low Power Mode, some embedded web views): play() is refused and the picture would sit
// still with no hint. This decides when to offer "Tap to play" instead; the tap is the user
// gesture those browsers want before a video may play.
import type { Phase } from "./session-state.ts";

/** How long a stream may sit paused after it arrived before we ask for a tap. */
export const AUTOPLAY_GRACE_MS = 1000;

export interface PlaybackSnapshot {
  phase: Phase;
  /** The <video> has the session's MediaStream. */
  hasStream: boolean;
  paused: boolean;
  /** How long it has been paused with the stream attached, ms. */
  pausedForMs: number;
}

/** True when the browser refused to start the live video on its own. */
export function needsTapToPlay(s: PlaybackSnapshot): boolean {
  const watching = s.phase === "connecting" || s.phase === "live" || s.phase === "reconnecting";
  return watching && s.hasStream && s.paused && s.pausedForMs >= AUTOPLAY_GRACE_MS;
}
