// Why: VP8 RTP payload format (RFC 7741): a payload descriptor per packet, S=1 on the first
// packet of the frame, partition index 0, and a 15-bit PictureID so receivers can detect loss.

export const DEFAULT_VP8_MAX_PAYLOAD = 1200;

/** Packetizes one VP8 frame; the caller sets the marker on the last payload (RFC 7741 §4.1). */
export function packetizeVp8Frame(frame: Buffer, pictureId: number, maxPayload = DEFAULT_VP8_MAX_PAYLOAD): Buffer[] {
  // Descriptor: X|R|N|S|R|PID (1 byte), I|L|T|K (1 byte), M + 15-bit PictureID (2 bytes) — §4.2.
  const descriptorLength = 4;
  const chunk = maxPayload - descriptorLength;
  const count = Math.max(1, Math.ceil(frame.length / chunk));
  const size = Math.ceil(frame.length / count);
  const pid = pictureId & 0x7fff;
  const out: Buffer[] = [];
  for (let off = 0; off < frame.length || out.length === 0; off += size) {
    const descriptor = Buffer.from([0x80 | (off === 0 ? 0x10 : 0), 0x80, 0x80 | (pid >> 8), pid & 0xff]);
    out.push(Buffer.concat([descriptor, frame.subarray(off, off + size)]));
    if (frame.length === 0) break;
  }
  return out;
}

/** Parses the descriptor fields a keyframe detector needs and where the VP8 payload starts. */
export function parseVp8Descriptor(payload: Buffer): { start: boolean; partitionId: number; headerLength: number } {
  const b0 = payload[0] ?? 0;
  let off = 1;
  if (b0 & 0x80) {
    const b1 = payload[off] ?? 0;
    off++;
    if (b1 & 0x80) off += (payload[off] ?? 0) & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    if (b1 & 0x40) off++; // TL0PICIDX
    if (b1 & 0x30) off++; // TID/KEYIDX
  }
  return { start: (b0 & 0x10) !== 0, partitionId: b0 & 0x07, headerLength: off };
}

/** True when a VP8 RTP payload is the first packet of a key frame (RFC 7741 §4.3, P bit = 0). */
export function vp8PayloadStartsKeyframe(payload: Buffer): boolean {
  const d = parseVp8Descriptor(payload);
  if (!d.start || d.partitionId !== 0 || payload.length <= d.headerLength) return false;
  return ((payload[d.headerLength] ?? 1) & 0x01) === 0;
}
