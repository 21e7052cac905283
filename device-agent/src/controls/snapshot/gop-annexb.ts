// Why: a snapshot is the newest frame, and an H.264 frame only decodes from the keyframe that
// starts its group of pictures. The media hub keeps exactly those RTP packets (keyframe cache);
// this turns them back into an Annex B stream a decoder reads, keeping only whole frames.
import type { MediaPacket } from "../../media/packet.ts";
import { accessUnitToAnnexB, createH264Depacketizer } from "../../rtp/h264-depacketizer.ts";

export interface GopStream {
  /** Annex B byte stream (ITU-T H.264 Annex B), starting at an IDR access unit. */
  annexB: Buffer;
  /** Whole access units (frames) in it; the snapshot is frame `frames - 1`. */
  frames: number;
}

/**
 * Depacketizes H.264 RTP payloads (RFC 6184) from the newest keyframe on. Units before the first
 * IDR and a trailing frame still missing its marker packet are left out. Null when there is no
 * complete keyframe.
 */
export function gopToAnnexB(packets: readonly MediaPacket[]): GopStream | null {
  const d = createH264Depacketizer();
  const parts: Buffer[] = [];
  let frames = 0;
  for (const p of packets) {
    if (p.codec !== "H264") continue;
    for (const au of d.push(p.payload, p.timestamp, p.marker)) {
      if (frames === 0 && !au.idr) continue;
      parts.push(accessUnitToAnnexB(au));
      frames++;
    }
  }
  return frames === 0 ? null : { annexB: Buffer.concat(parts), frames };
}
