// Why: the talker's audio arrives on a peer connection (RTP on the audio m-line), the floor lives
// in the camera's controls; this small bus joins them by session id, so neither the peer session
// nor the talk feature holds a reference to the other.
import type { TalkRtp } from "./opus-rtp-timeline.ts";

export type TalkAudioListener = (sessionId: string, rtp: TalkRtp) => void;

export interface TalkAudioBus {
  /** A viewer's RTP Opus packet, as received. */
  deliver(sessionId: string, rtp: TalkRtp): void;
  /** The talk feature subscribes here; returns the unsubscribe function. */
  listen(fn: TalkAudioListener): () => void;
}

export function createTalkAudioBus(): TalkAudioBus {
  const listeners = new Set<TalkAudioListener>();
  return {
    deliver(sessionId, rtp) {
      for (const fn of listeners) fn(sessionId, rtp);
    },
    listen(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
