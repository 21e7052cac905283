// Why: packets from ffmpeg arrive as plain RTP; the keyframe cache needs to know where each
// keyframe starts, which we read from the payload headers (RFC 7741 §4.3, RFC 6184 §5).
import { h264PayloadStartsKeyframe } from "../rtp/h264-packetizer.ts";
import { vp8PayloadStartsKeyframe } from "../rtp/vp8-packetizer.ts";
import type { MediaCodec } from "./packet.ts";

/** Returns a stateful detector: true for the first packet of each keyframe. */
export function createKeyframeDetector(codec: MediaCodec): (payload: Buffer, timestamp: number) => boolean {
  if (codec === "VP8") return (payload) => vp8PayloadStartsKeyframe(payload);
  if (codec === "opus") return () => false;
  // H.264: SPS/PPS precede the IDR in the same access unit (same timestamp); the first of
  // those packets starts the keyframe, later ones of that access unit don't.
  let keyTimestamp: number | undefined;
  return (payload, timestamp) => {
    const k = h264PayloadStartsKeyframe(payload);
    if (!k.sps && !k.idrStart) return false;
    if (keyTimestamp === timestamp) return false;
    keyTimestamp = timestamp;
    return true;
  };
}
