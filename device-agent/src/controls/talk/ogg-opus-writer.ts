// Why: the talk sinks need the talker's Opus packets in a container ffmpeg and players read
// without transcoding; Ogg Opus (RFC 7845) over Ogg pages (RFC 3533) is that container and is
// small enough to write here — pure, so it is unit-tested against the agent's own Ogg reader.

/** Ogg page header flags (RFC 3533 §6). */
const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;
/** A page holds at most 255 lacing values (RFC 3533 §6: `page_segments` is one byte). */
const MAX_SEGMENTS = 255;
/**
 * libopus's encoder lookahead at 48 kHz. RTP does not carry the sender's pre-skip; Chromium
 * encodes with libopus, so its first 312 samples are lookahead (RFC 7845 §4.2).
 */
export const DEFAULT_PRE_SKIP = 312;

export interface OggOpusWriterOptions {
  /** Logical bitstream serial (RFC 3533 §6); random per stream. */
  serial: number;
  /** 1 or 2: decoded output channels (mapping family 0, RFC 7845 §5.1.1). */
  channels: 1 | 2;
  preSkip?: number;
  /** Audio packets per page: few for live pipes (latency), more for files (overhead ~1 %). */
  packetsPerPage?: number;
  /** OpusTags vendor string (RFC 7845 §5.2). */
  vendor?: string;
  /** OpusTags user comments, "KEY=value". */
  comments?: readonly string[];
}

export interface OggOpusWriter {
  /** The two header pages (OpusHead on a BOS page, then OpusTags); call once, first. */
  headers(): Uint8Array;
  /** Queues one Opus packet of `samples` 48 kHz samples; returns a page when one is full. */
  push(packet: Uint8Array, samples: number): Uint8Array | null;
  /** The last page, flagged end-of-stream. Always returns a page: the writer keeps one packet back for it. */
  end(): Uint8Array;
  /** Samples written so far (excluding pre-skip). */
  readonly samples: number;
}

export function createOggOpusWriter(o: OggOpusWriterOptions): OggOpusWriter {
  const preSkip = o.preSkip ?? DEFAULT_PRE_SKIP;
  const perPage = Math.max(1, Math.min(o.packetsPerPage ?? 50, 100));
  let sequence = 0;
  /** Granule position: PCM samples at 48 kHz including pre-skip (RFC 7845 §4). */
  let granule = 0;
  let pending: { packet: Uint8Array; samples: number }[] = [];
  let ended = false;
  let written = 0;

  const page = (packets: readonly Uint8Array[], granulePos: number, flags: number): Uint8Array => {
    const lacing: number[] = [];
    for (const p of packets) {
      // A packet is 255-valued lacing bytes followed by one below 255 (RFC 3533 §5).
      for (let n = p.byteLength; ; n -= 255) {
        lacing.push(Math.min(n, 255));
        if (n < 255) break;
      }
    }
    if (lacing.length > MAX_SEGMENTS) throw new Error("Ogg page overflow");
    const bodyBytes = packets.reduce((n, p) => n + p.byteLength, 0);
    const out = new Uint8Array(27 + lacing.length + bodyBytes);
    const view = new DataView(out.buffer);
    out.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
    out[4] = 0; // stream structure version
    out[5] = flags;
    view.setBigInt64(6, BigInt(granulePos), true);
    view.setUint32(14, o.serial >>> 0, true);
    view.setUint32(18, sequence++, true);
    // CRC (offset 22) is computed with the field zeroed.
    out[26] = lacing.length;
    out.set(lacing, 27);
    let off = 27 + lacing.length;
    for (const p of packets) {
      out.set(p, off);
      off += p.byteLength;
    }
    view.setUint32(22, oggCrc32(out), true);
    return out;
  };

  /** Segments a set of packets needs. */
  const segments = (ps: readonly { packet: Uint8Array }[]): number => ps.reduce((n, p) => n + Math.floor(p.packet.byteLength / 255) + 1, 0);

  const emit = (batch: { packet: Uint8Array; samples: number }[], flags: number): Uint8Array => {
    for (const b of batch) granule += b.samples;
    return page(batch.map((b) => b.packet), granule, flags);
  };

  return {
    get samples() {
      return written;
    },
    headers() {
      const head = new Uint8Array(19);
      const hv = new DataView(head.buffer);
      head.set(new TextEncoder().encode("OpusHead"), 0);
      head[8] = 1; // version
      head[9] = o.channels;
      hv.setUint16(10, preSkip, true);
      hv.setUint32(12, 48_000, true); // input sample rate (informational)
      hv.setInt16(16, 0, true); // output gain
      head[18] = 0; // channel mapping family 0: mono/stereo
      const enc = new TextEncoder();
      const vendor = enc.encode(o.vendor ?? "porthole-agent");
      const comments = (o.comments ?? []).map((c) => enc.encode(c));
      const tags = new Uint8Array(8 + 4 + vendor.byteLength + 4 + comments.reduce((n, c) => n + 4 + c.byteLength, 0));
      const tv = new DataView(tags.buffer);
      tags.set(enc.encode("OpusTags"), 0);
      let off = 8;
      tv.setUint32(off, vendor.byteLength, true);
      tags.set(vendor, (off += 4));
      off += vendor.byteLength;
      tv.setUint32(off, comments.length, true);
      off += 4;
      for (const c of comments) {
        tv.setUint32(off, c.byteLength, true);
        tags.set(c, (off += 4));
        off += c.byteLength;
      }
      if (segments([{ packet: tags }]) > MAX_SEGMENTS) throw new Error("OpusTags too long for one page");
      // Header pages carry granule 0 (RFC 7845 §5).
      const first = page([head], 0, FLAG_BOS);
      const second = page([tags], 0, 0);
      const both = new Uint8Array(first.byteLength + second.byteLength);
      both.set(first, 0);
      both.set(second, first.byteLength);
      return both;
    },
    push(packet, samples) {
      if (ended) throw new Error("Ogg stream already ended");
      if (packet.byteLength === 0 || packet.byteLength > 254 * 255) throw new Error(`Opus packet of ${packet.byteLength} bytes cannot be written`);
      written += samples;
      pending.push({ packet, samples });
      // One packet stays queued so end() always has one to carry the EOS flag.
      const full = pending.length > perPage || segments(pending) > MAX_SEGMENTS;
      if (!full) return null;
      const batch = pending.slice(0, -1);
      pending = pending.slice(-1);
      return emit(batch, 0);
    },
    end() {
      if (ended) throw new Error("Ogg stream already ended");
      ended = true;
      if (pending.length === 0) {
        // No audio at all: one PLC-sized empty frame keeps the stream valid (RFC 6716 §3.2.1).
        pending.push({ packet: Uint8Array.of(0xf8), samples: 960 });
        written += 960;
      }
      const batch = pending;
      pending = [];
      return emit(batch, FLAG_EOS);
    },
  };
}

let crcTable: Uint32Array | undefined;

/** CRC-32 of an Ogg page: polynomial 0x04c11db7, initial 0, no reflection, no final XOR (RFC 3533 §6). */
export function oggCrc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let r = i << 24;
      for (let b = 0; b < 8; b++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
      crcTable[i] = r >>> 0;
    }
  }
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ crcTable[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  return crc >>> 0;
}
