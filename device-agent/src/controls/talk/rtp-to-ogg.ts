// Why: both sinks turn one talk burst of RTP Opus into one Ogg Opus stream; the headers wait for
// the first packet because the channel count comes from its TOC byte. Pure: bytes out, no I/O.
import { randomInt } from "node:crypto";
import { createOggOpusWriter, type OggOpusWriter } from "./ogg-opus-writer.ts";
import { createOpusRtpTimeline, OPUS_CLOCK_HZ, type TalkRtp } from "./opus-rtp-timeline.ts";

export interface RtpToOgg {
  /** Bytes to append for this packet (headers before the first audio page); may be empty. */
  push(rtp: TalkRtp): Uint8Array[];
  /** The final EOS page, or null when no audio arrived (nothing was written). */
  end(): Uint8Array | null;
  /** Seconds of audio written so far. */
  readonly seconds: number;
}

export function createRtpToOgg(o: { packetsPerPage: number; comments?: readonly string[]; serial?: number }): RtpToOgg {
  const timeline = createOpusRtpTimeline();
  let writer: OggOpusWriter | null = null;
  let ended = false;
  return {
    get seconds() {
      return (writer?.samples ?? 0) / OPUS_CLOCK_HZ;
    },
    push(rtp) {
      if (ended) return [];
      const packets = timeline.accept(rtp);
      if (packets.length === 0) return [];
      const out: Uint8Array[] = [];
      if (!writer) {
        writer = createOggOpusWriter({
          serial: o.serial ?? randomInt(0, 2 ** 32 - 1),
          channels: timeline.channels ?? 1,
          packetsPerPage: o.packetsPerPage,
          ...(o.comments ? { comments: o.comments } : {}),
        });
        out.push(writer.headers());
      }
      for (const p of packets) {
        const page = writer.push(p.packet, p.samples);
        if (page) out.push(page);
      }
      return out;
    },
    end() {
      if (ended) return null;
      ended = true;
      return writer ? writer.end() : null;
    },
  };
}
