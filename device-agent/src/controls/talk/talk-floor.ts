// Why: a camera has one speaker, so talk is exclusive — one talker per camera at a time (issue 5).
// The floor's rules are pure (time is passed in) so they are tested without sockets or audio:
// who holds it, who is refused with the holder's name, and when a silent holder loses it.

/**
 * A holder whose audio stops for this long loses the floor, counted from talk.start or the last
 * packet. Chromium sends Opus every 20 ms while a track is attached (no DTX unless negotiated,
 * and the agent does not offer usedtx), so 5 s of nothing means a crashed tab or a broken path —
 * long before consent freshness (RFC 7675) would end the session, short enough that others are
 * not locked out.
 */
export const TALK_IDLE_TIMEOUT_MS = 5_000;

export interface FloorHolder {
  sessionId: string;
  label: string;
  since: number;
  lastAudioAt: number;
}

export type FloorRequest = { ok: true; changed: boolean } | { ok: false; holder: string };

export interface TalkFloor {
  readonly holder: FloorHolder | null;
  /** Takes the floor; refused while someone else holds it. Idempotent for the holder. */
  request(sessionId: string, label: string, now: number): FloorRequest;
  /** Gives the floor up if `sessionId` holds it; true when it was released. */
  release(sessionId: string): boolean;
  /** An audio packet from `sessionId` at `now`: true when it comes from the holder (keep it). */
  audio(sessionId: string, now: number): boolean;
  /** Releases a holder silent for longer than the idle timeout; returns who was released. */
  expire(now: number): FloorHolder | null;
}

export function createTalkFloor(idleTimeoutMs: number = TALK_IDLE_TIMEOUT_MS): TalkFloor {
  let holder: FloorHolder | null = null;
  return {
    get holder() {
      return holder;
    },
    request(sessionId, label, now) {
      if (holder && holder.sessionId !== sessionId) return { ok: false, holder: holder.label };
      if (holder) {
        // A repeated start (double click, retry after a lost reply) refreshes the idle clock.
        holder.lastAudioAt = Math.max(holder.lastAudioAt, now);
        return { ok: true, changed: false };
      }
      holder = { sessionId, label, since: now, lastAudioAt: now };
      return { ok: true, changed: true };
    },
    release(sessionId) {
      if (holder?.sessionId !== sessionId) return false;
      holder = null;
      return true;
    },
    audio(sessionId, now) {
      if (holder?.sessionId !== sessionId) return false;
      holder.lastAudioAt = now;
      return true;
    },
    expire(now) {
      if (!holder || now - holder.lastAudioAt <= idleTimeoutMs) return null;
      const gone = holder;
      holder = null;
      return gone;
    },
  };
}
