// Why: H.264 RTP payload format (RFC 6184) in non-interleaved mode (packetization-mode=1):
// NAL units that fit go as single NAL unit packets (§5.6), larger ones as FU-A fragments (§5.8).
import { NAL_IDR, NAL_SPS, nalType } from "../media/annexb-reader.ts";

/** RTP payload budget; with a 12-byte RTP header and SRTP tag this stays under a 1280 MTU. */
export const DEFAULT_MAX_PAYLOAD = 1200;

/** Packetizes one access unit. The last payload carries the marker bit (RFC 6184 §5.1). */
export function packetizeH264AccessUnit(nals: Buffer[], maxPayload = DEFAULT_MAX_PAYLOAD): Buffer[] {
  const out: Buffer[] = [];
  for (const nal of nals) {
    const type = nalType(nal);
    // AUDs carry nothing a receiver needs; filler data (12) is padding.
    if (type === 9 || type === 12) continue;
    if (nal.length <= maxPayload) {
      out.push(nal);
      continue;
    }
    out.push(...fragmentFuA(nal, maxPayload));
  }
  return out;
}

/** Splits one NAL into FU-A payloads of at most `maxPayload` bytes (2-byte FU indicator+header). */
export function fragmentFuA(nal: Buffer, maxPayload = DEFAULT_MAX_PAYLOAD): Buffer[] {
  const header = nal[0] ?? 0;
  const indicator = (header & 0xe0) | 28; // F and NRI from the NAL, type 28 = FU-A
  const type = header & 0x1f;
  const body = nal.subarray(1);
  const chunk = maxPayload - 2;
  const count = Math.ceil(body.length / chunk);
  // Even sizes: avoids a tiny last fragment.
  const size = Math.ceil(body.length / count);
  const out: Buffer[] = [];
  for (let i = 0, off = 0; off < body.length; i++, off += size) {
    const part = body.subarray(off, off + size);
    const start = off === 0 ? 0x80 : 0;
    const end = off + size >= body.length ? 0x40 : 0;
    out.push(Buffer.concat([Buffer.from([indicator, start | end | type]), part]));
  }
  return out;
}

/** True when an H.264 RTP payload starts a keyframe: an SPS, or the start of an IDR slice. */
export function h264PayloadStartsKeyframe(payload: Buffer): { sps: boolean; idrStart: boolean } {
  const type = nalType(payload);
  if (type === NAL_SPS) return { sps: true, idrStart: false };
  if (type === NAL_IDR) return { sps: false, idrStart: true };
  if (type === 24) {
    // STAP-A (RFC 6184 §5.7.1): 16-bit size + NAL, repeated.
    let sps = false;
    let idr = false;
    for (let off = 1; off + 2 < payload.length; ) {
      const size = payload.readUInt16BE(off);
      const t = (payload[off + 2] ?? 0) & 0x1f;
      if (t === NAL_SPS) sps = true;
      if (t === NAL_IDR) idr = true;
      off += 2 + size;
    }
    return { sps, idrStart: idr };
  }
  if (type === 28) {
    const fu = payload[1] ?? 0;
    return { sps: false, idrStart: (fu & 0x80) !== 0 && (fu & 0x1f) === NAL_IDR };
  }
  return { sps: false, idrStart: false };
}
