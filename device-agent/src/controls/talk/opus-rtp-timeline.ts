// Why: RTP Opus (RFC 7587) has timestamps, Ogg Opus (RFC 7845) only a running sample count. To
// keep a recording's duration equal to the time talked, a gap in RTP timestamps (lost packets,
// a stalled sender) becomes empty Opus frames the decoder conceals (RFC 6716 §3.2.1), and late or
// duplicate packets are dropped (the sink has no jitter buffer to put them back in order).
import { opusPacketSamples } from "../../media/ogg-opus-reader.ts";

/** Opus RTP timestamps always tick at 48 kHz (RFC 7587 §4.1). */
export const OPUS_CLOCK_HZ = 48_000;
const FILL_SAMPLES = 960; // 20 ms
/** A jump beyond this is a new timeline (sender restarted), not silence to fill. */
const MAX_FILL_SAMPLES = 10 * OPUS_CLOCK_HZ;

export interface TalkRtp {
  sequence: number;
  /** RTP timestamp (48 kHz). */
  timestamp: number;
  payload: Uint8Array;
}

export interface TimedOpusPacket {
  packet: Uint8Array;
  samples: number;
}

export interface OpusRtpTimeline {
  /** The packets to write for this RTP packet, in order: gap fillers first, then its payload. */
  accept(rtp: TalkRtp): TimedOpusPacket[];
  /** 2 when the first packet was coded stereo (TOC `s` bit), else 1; null before any packet. */
  readonly channels: 1 | 2 | null;
}

/** One empty 20 ms CELT frame (TOC config 31, code 0, zero-length frame): "lost", so PLC/silence. */
export function fillerPacket(stereo: boolean): Uint8Array {
  return Uint8Array.of((31 << 3) | (stereo ? 0x04 : 0));
}

export function createOpusRtpTimeline(): OpusRtpTimeline {
  /** RTP timestamp the next packet is expected at. */
  let next: number | null = null;
  let channels: 1 | 2 | null = null;

  return {
    get channels() {
      return channels;
    },
    accept(rtp) {
      const payload = rtp.payload;
      if (payload.byteLength === 0) return [];
      const samples = opusPacketSamples(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
      if (samples <= 0) return []; // code 3 with zero frames: malformed
      const out: TimedOpusPacket[] = [];
      if (next === null) {
        channels = payload[0]! & 0x04 ? 2 : 1;
      } else {
        // Signed distance in the 32-bit timestamp space (wraps, RFC 3550 §5.1).
        const delta = ((rtp.timestamp - next) | 0);
        if (delta < 0) return []; // late or duplicate
        if (delta <= MAX_FILL_SAMPLES) {
          for (let n = Math.round(delta / FILL_SAMPLES); n > 0; n--) out.push({ packet: fillerPacket(channels === 2), samples: FILL_SAMPLES });
        }
      }
      out.push({ packet: payload, samples });
      next = (rtp.timestamp + samples) >>> 0;
      return out;
    },
  };
}
