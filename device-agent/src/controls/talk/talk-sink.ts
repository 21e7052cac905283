// Why: the floor logic does not care where a voice goes (a file for tests, the speaker through
// ffmpeg); a sink opens one burst per floor grant and takes its RTP, in arrival order.
import type { TalkRtp } from "./opus-rtp-timeline.ts";

export interface TalkBurstInfo {
  sessionId: string;
  /** Who is talking (the grant's label). */
  label: string;
  /** Unix ms the floor was granted. */
  startedAt: number;
}

export interface TalkBurst {
  /** One RTP Opus packet from the floor holder. Never throws; failures are logged. */
  write(rtp: TalkRtp): void;
  /** Ends the burst (EOS page, file closed / player drained). Idempotent. */
  end(): Promise<void>;
}

export interface TalkSink {
  /** For logs, e.g. "file:/tmp/talk.opus". */
  readonly description: string;
  open(info: TalkBurstInfo): TalkBurst;
}
