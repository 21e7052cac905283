// Why: the live picture and a recording played beside it are two <video> elements on one page.
// Both playing sound at once is noise, and a viewer who turns to a recording expects to hear
// the recording. So sound has one holder at a time: a player that starts playing with sound
// takes it, the other mutes, and when the holder lets go the one it silenced gets its sound back
// (only if it had it before: a muted live view stays muted).

export type AudioHolder = "live" | "playback";
type Listener = (holder: AudioHolder | null) => void;

export interface AudioFocus {
  readonly holder: AudioHolder | null;
  take(who: AudioHolder): void;
  release(who: AudioHolder): void;
  /** Called with the new holder on every change; returns the unsubscribe. */
  subscribe(listener: Listener): () => void;
}

export function createAudioFocus(): AudioFocus {
  let holder: AudioHolder | null = null;
  const listeners = new Set<Listener>();
  const set = (next: AudioHolder | null) => {
    if (next === holder) return;
    holder = next;
    for (const l of [...listeners]) l(holder);
  };
  return {
    get holder() {
      return holder;
    },
    take: (who) => set(who),
    release: (who) => {
      if (holder === who) set(null);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Keeps one media element in line with the focus as `me`: muted while another holds the sound
 * (remembering whether it had sound), unmuted again when the other lets go. `onMuted` reports
 * changes made here, for UI state (e.g. the "tap for sound" button).
 */
export function followAudioFocus(focus: AudioFocus, me: AudioHolder, media: HTMLMediaElement, onMuted: (muted: boolean) => void = () => {}): () => void {
  let silencedByOther = false;
  return focus.subscribe((holder) => {
    if (holder !== null && holder !== me) {
      if (!media.muted) {
        media.muted = true;
        silencedByOther = true;
        onMuted(true);
      }
    } else if (holder === null && silencedByOther) {
      silencedByOther = false;
      media.muted = false;
      onMuted(false);
    }
  });
}

/** The page's one focus (live view and playback panel share it). */
export const audioFocus = createAudioFocus();
