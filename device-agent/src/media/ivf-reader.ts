// Why: the demo's VP8 track is stored as IVF (the simplest VP8 container: a 32-byte file
// header, then a 12-byte header per frame) so the agent can play it without ffmpeg.

export interface IvfFile {
  fourcc: string;
  width: number;
  height: number;
  /** Frame rate as timebase: rate / scale frames per second. */
  rate: number;
  scale: number;
  frames: IvfFrame[];
}

export interface IvfFrame {
  pts: number;
  data: Buffer;
}

/** Parses a whole IVF file. Throws on a truncated or foreign file. */
export function parseIvf(buf: Buffer): IvfFile {
  if (buf.length < 32 || buf.toString("latin1", 0, 4) !== "DKIF") throw new Error("not an IVF file (no DKIF signature)");
  const headerLength = buf.readUInt16LE(6);
  const fourcc = buf.toString("latin1", 8, 12);
  const width = buf.readUInt16LE(12);
  const height = buf.readUInt16LE(14);
  const rate = buf.readUInt32LE(16);
  const scale = buf.readUInt32LE(20);
  const frames: IvfFrame[] = [];
  let off = headerLength;
  while (off + 12 <= buf.length) {
    const size = buf.readUInt32LE(off);
    const pts = Number(buf.readBigUInt64LE(off + 4));
    off += 12;
    if (off + size > buf.length) throw new Error(`IVF frame at ${off - 12} is truncated`);
    frames.push({ pts, data: buf.subarray(off, off + size) });
    off += size;
  }
  return { fourcc, width, height, rate, scale, frames };
}

/** VP8 frame tag bit 0 is the inverse key frame flag (RFC 6386 §9.1). */
export function isVp8Keyframe(frame: Buffer): boolean {
  return frame.length > 0 && ((frame[0] ?? 1) & 0x01) === 0;
}
