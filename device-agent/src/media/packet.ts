// Why: the unit every source emits and every session consumes — an RTP payload with the
// timing and keyframe facts the fan-out needs, independent of any one RTP session's SSRC/seq.
import type { Quality } from "../../../protocol/index.ts";

export type VideoCodecName = "H264" | "VP8";
export type MediaCodec = VideoCodecName | "opus";

export const RTP_CLOCK_RATE: Record<MediaCodec, number> = { H264: 90_000, VP8: 90_000, opus: 48_000 };

export interface MediaPacket {
  codec: MediaCodec;
  /** RTP payload (payload descriptor/FU header included), ready to send. */
  payload: Buffer;
  /** RTP timestamp in the codec's clock (90 kHz video, 48 kHz Opus); never goes backwards. */
  timestamp: number;
  /** RTP marker: last packet of a video frame (RFC 6184 §5.1, RFC 7741 §4.1); set on Opus talkspurt start. */
  marker: boolean;
  /** First packet of a keyframe (VP8 key frame, or H.264 access unit with SPS/IDR). */
  keyframeStart: boolean;
  /** Which stream profile this video packet belongs to; absent = "sd" (single-quality sources). */
  quality?: Quality;
  /**
   * Identity of the RTP timeline the timestamp belongs to; it changes when an encoder restarts
   * (new random base), so a session feed knows to rebase instead of jumping. Absent = one forever.
   */
  timeline?: number;
}
