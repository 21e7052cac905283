// Why: reading our own fMP4 back. After a crash the last segment is a `.part` file cut anywhere;
// its complete prefix (init + whole moof/mdat pairs whose sample sizes fit their mdat) is a valid
// file, and its video duration gives the segment's end time. Serving a segment needs its MSE
// codec string, which is in the init segment's avcC (ISO/IEC 14496-15 §5.3.3.1).
import { VIDEO_TIMESCALE, VIDEO_TRACK_ID } from "./fmp4-boxes.ts";

interface BoxRef {
  type: string;
  start: number;
  /** Payload start (after the 8-byte header). */
  body: number;
  end: number;
}

/** Complete boxes in buf[from, to); stops at the first truncated or malformed header. */
function boxes(buf: Buffer, from = 0, to = buf.length): BoxRef[] {
  const out: BoxRef[] = [];
  let at = from;
  while (at + 8 <= to) {
    const size = buf.readUInt32BE(at);
    // size 0 ("to end of file") and 64-bit sizes are never written by us: a torn write.
    if (size < 8 || at + size > to) break;
    out.push({ type: buf.toString("latin1", at + 4, at + 8), start: at, body: at + 8, end: at + size });
    at += size;
  }
  return out;
}

const child = (buf: Buffer, parent: BoxRef, type: string, skip = 0): BoxRef | undefined => boxes(buf, parent.body + skip, parent.end).find((b) => b.type === type);

export interface ScanResult {
  /** Bytes of the valid prefix: init + complete fragments (0 when there is no usable init). */
  validBytes: number;
  fragments: number;
  /** Sum of the video track's sample durations, ms. */
  videoMs: number;
}

/** Sample durations and total sample bytes of a trun (§8.8.8), or null if malformed. */
function readTrun(buf: Buffer, trun: BoxRef): { duration: number; bytes: number } | null {
  if (trun.end - trun.body < 8) return null;
  const flags = buf.readUInt32BE(trun.body) & 0xffffff;
  const count = buf.readUInt32BE(trun.body + 4);
  let at = trun.body + 8;
  if (flags & 0x1) at += 4;
  if (flags & 0x4) at += 4;
  const per = [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length * 4;
  if (at + count * per > trun.end) return null;
  let duration = 0;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    let p = at + i * per;
    if (flags & 0x100) {
      duration += buf.readUInt32BE(p);
      p += 4;
    }
    if (flags & 0x200) bytes += buf.readUInt32BE(p);
  }
  return { duration, bytes };
}

/** Finds the longest playable prefix of an fMP4 file. */
export function scanFragmentedMp4(buf: Buffer): ScanResult {
  const top = boxes(buf);
  if (top[0]?.type !== "ftyp" || top[1]?.type !== "moov") return { validBytes: 0, fragments: 0, videoMs: 0 };
  let validBytes = top[1].end;
  let fragments = 0;
  let videoTicks = 0;
  for (let i = 2; i + 1 < top.length; i += 2) {
    const moof = top[i]!;
    const mdat = top[i + 1]!;
    if (moof.type !== "moof" || mdat.type !== "mdat") break;
    let ticks = 0;
    let bytes = 0;
    let ok = true;
    for (const traf of boxes(buf, moof.body, moof.end).filter((b) => b.type === "traf")) {
      const tfhd = child(buf, traf, "tfhd");
      const trun = child(buf, traf, "trun");
      const r = trun ? readTrun(buf, trun) : null;
      if (!tfhd || !r) {
        ok = false;
        break;
      }
      bytes += r.bytes;
      if (buf.readUInt32BE(tfhd.body + 4) === VIDEO_TRACK_ID) ticks += r.duration;
    }
    if (!ok || bytes > mdat.end - mdat.body) break;
    videoTicks += ticks;
    validBytes = mdat.end;
    fragments++;
  }
  return { validBytes, fragments, videoMs: (videoTicks * 1000) / VIDEO_TIMESCALE };
}

/** The MSE type of a recording, e.g. `video/mp4; codecs="avc1.42c01f,opus"`, from its init segment. */
export function mp4MimeType(buf: Buffer): string {
  const moov = boxes(buf).find((b) => b.type === "moov");
  const codecs: string[] = [];
  for (const trak of moov ? boxes(buf, moov.body, moov.end).filter((b) => b.type === "trak") : []) {
    const mdia = child(buf, trak, "mdia");
    const minf = mdia && child(buf, mdia, "minf");
    const stbl = minf && child(buf, minf, "stbl");
    const stsd = stbl && child(buf, stbl, "stsd");
    // stsd: version/flags + entry count, then sample entries.
    const entry = stsd && boxes(buf, stsd.body + 8, stsd.end)[0];
    if (entry?.type === "avc1") {
      // VisualSampleEntry fields are 78 bytes before its child boxes (§12.1.3).
      const cfg = child(buf, entry, "avcC", 78);
      if (cfg && cfg.end - cfg.body >= 4) codecs.push(`avc1.${buf.subarray(cfg.body + 1, cfg.body + 4).toString("hex")}`);
    } else if (entry?.type === "Opus") codecs.push("opus");
  }
  return codecs.length > 0 ? `video/mp4; codecs="${codecs.join(",")}"` : "video/mp4";
}
