// Why: turns one segment's access units and Opus packets into fMP4 bytes, pure (no I/O, no
// clock), so timing rules are unit-tested. Video decode times are the RTP timestamp deltas
// (90 kHz, RFC 6184 §5.1); a frame's duration is known when the next one arrives, so the newest
// frame is held back. A fragment closes before each keyframe and after ~1 s, which bounds what a
// power cut can lose and lets a player seek to any fragment start. No B-frames: RTP order is
// decode order and presentation order (what WebRTC cameras send).
import { opusPacketSamples } from "../../media/ogg-opus-reader.ts";
import {
  AUDIO_TRACK_ID,
  fragment,
  initSegment,
  NON_SYNC_SAMPLE_FLAGS,
  SYNC_SAMPLE_FLAGS,
  VIDEO_TIMESCALE,
  VIDEO_TRACK_ID,
  type AudioTrackInfo,
  type FragmentSample,
  type VideoTrackInfo,
} from "./fmp4-boxes.ts";

export interface VideoFrame {
  /** RTP timestamp, 90 kHz. */
  ts: number;
  /** Slice (and SEI) NAL units, without start codes; parameter sets go in the init segment. */
  nals: Buffer[];
  idr: boolean;
}

export interface SegmentMuxerOptions {
  video: VideoTrackInfo;
  audio: AudioTrackInfo | null;
  /** Longest fragment, in 90 kHz ticks (default 1 s). */
  fragmentTicks?: number;
  /** A frame duration to use when none can be measured (default 1/15 s). */
  defaultFrameTicks?: number;
}

export interface SegmentMuxer {
  /** ftyp + moov: the first bytes of the file. */
  readonly init: Buffer;
  /** RTP timestamp of the first frame (segment time 0). */
  readonly firstTs: number;
  /** Video ticks covered by written samples plus the held-back frame, once finished. */
  readonly ticks: number;
  /** Adds the next frame; returns a fragment when one closes. */
  pushVideo(frame: VideoFrame): Buffer | null;
  /** Adds an Opus packet at `t48`, 48 kHz ticks from segment time 0 (negative: dropped). */
  pushAudio(payload: Buffer, t48: number): void;
  /** Closes the segment; the held-back frame ends at `endTs` (or lasts one frame duration). */
  finish(endTs?: number): Buffer | null;
}

const NAL_LENGTH = 4;

/** Annex B NAL units → ISO/IEC 14496-15 sample (4-byte big-endian lengths). */
export function avccSample(nals: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const n of nals) {
    const len = Buffer.alloc(NAL_LENGTH);
    len.writeUInt32BE(n.length);
    parts.push(len, n);
  }
  return Buffer.concat(parts);
}

/** a - b for 32-bit RTP timestamps that may have wrapped (RFC 3550 §5.1). */
export const rtpDelta = (a: number, b: number): number => (a - b) | 0;

export function createSegmentMuxer(first: VideoFrame, o: SegmentMuxerOptions): SegmentMuxer {
  const fragmentTicks = o.fragmentTicks ?? VIDEO_TIMESCALE;
  let lastDuration = o.defaultFrameTicks ?? Math.round(VIDEO_TIMESCALE / 15);
  let held: VideoFrame = first;
  let videoTime = 0; // decode time of `held`
  let fragVideo: FragmentSample[] = [];
  let fragVideoBase = 0;
  let fragVideoTicks = 0;
  let fragAudio: FragmentSample[] = [];
  let audioBase = 0;
  let audioNext: number | null = null;
  let sequence = 1;
  let finished = false;

  const flush = (): Buffer | null => {
    if (fragVideo.length === 0 && fragAudio.length === 0) return null;
    const out = fragment(sequence++, [
      { trackId: VIDEO_TRACK_ID, baseDecodeTime: fragVideoBase, samples: fragVideo },
      ...(o.audio ? [{ trackId: AUDIO_TRACK_ID, baseDecodeTime: audioBase, samples: fragAudio }] : []),
    ]);
    fragVideo = [];
    fragVideoBase = videoTime;
    fragVideoTicks = 0;
    fragAudio = [];
    return out;
  };

  const commitHeld = (duration: number): void => {
    fragVideo.push({ data: avccSample(held.nals), duration, flags: held.idr ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS });
    videoTime += duration;
    fragVideoTicks += duration;
  };

  return {
    init: initSegment(o.video, o.audio),
    firstTs: first.ts,
    get ticks() {
      return videoTime;
    },
    pushVideo(frame) {
      if (finished) throw new Error("segment already finished");
      let d = rtpDelta(frame.ts, held.ts);
      if (d <= 0) d = lastDuration; // a repeated/backward timestamp: keep time moving
      lastDuration = d;
      commitHeld(d);
      held = frame;
      return frame.idr || fragVideoTicks >= fragmentTicks ? flush() : null;
    },
    pushAudio(payload, t48) {
      if (!o.audio || finished || t48 < 0 || payload.length === 0) return;
      if (fragAudio.length === 0) {
        // A fragment's audio starts where the last one ended, or later after a gap.
        audioBase = audioNext === null ? t48 : Math.max(audioNext, t48);
        audioNext = audioBase;
      }
      const samples = opusPacketSamples(payload);
      fragAudio.push({ data: payload, duration: samples, flags: SYNC_SAMPLE_FLAGS });
      audioNext = (audioNext ?? audioBase) + samples;
    },
    finish(endTs) {
      if (finished) return null;
      finished = true;
      const d = endTs === undefined ? lastDuration : rtpDelta(endTs, held.ts);
      commitHeld(d > 0 ? d : lastDuration);
      return flush();
    },
  };
}
