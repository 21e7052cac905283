// Why: recordings are fragmented MP4 (ISO/IEC 14496-12 §8.8, the CMAF/MSE byte-stream format):
// an init segment (ftyp + moov with empty sample tables) followed by moof+mdat fragments. Each
// fragment is self-describing, so a file cut off after any complete fragment is still playable,
// and the browser's Media Source Extensions can append the file as is. Written here (≈200 lines)
// rather than by an ffmpeg child: the agent keeps the RTP timestamps exactly, muxes Opus beside
// H.264 without a second pipe, and needs no ffmpeg for the demo camera.

export const VIDEO_TRACK_ID = 1;
export const AUDIO_TRACK_ID = 2;
export const VIDEO_TIMESCALE = 90_000;
export const AUDIO_TIMESCALE = 48_000;

/** Sample flags (§8.8.3.1): sync sample (depends on nothing) / non-sync (depends on others). */
export const SYNC_SAMPLE_FLAGS = 0x0200_0000;
export const NON_SYNC_SAMPLE_FLAGS = 0x0101_0000;

function u8(n: number): Buffer {
  return Buffer.from([n & 0xff]);
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(n))));
  return b;
}
const zeros = (n: number): Buffer => Buffer.alloc(n);

export function box(type: string, ...parts: Buffer[]): Buffer {
  const size = 8 + parts.reduce((s, p) => s + p.length, 0);
  return Buffer.concat([u32(size), Buffer.from(type, "latin1"), ...parts]);
}

function fullBox(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
  return box(type, u8(version), Buffer.from([(flags >> 16) & 0xff, (flags >> 8) & 0xff, flags & 0xff]), ...parts);
}

/** Identity transformation matrix (§8.2.2.3). */
const MATRIX = Buffer.concat([u32(0x10000), u32(0), u32(0), u32(0), u32(0x10000), u32(0), u32(0), u32(0), u32(0x40000000)]);

export interface VideoTrackInfo {
  sps: Buffer;
  pps: Buffer;
  width: number;
  height: number;
}

export interface AudioTrackInfo {
  /** Opus output channels for dOps (WebRTC Opus is "opus/48000/2"). */
  channels: number;
}

/** AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1), 4-byte NAL lengths. */
function avcC(v: VideoTrackInfo): Buffer {
  return box(
    "avcC",
    u8(1),
    v.sps.subarray(1, 4), // profile, constraints, level
    u8(0xff), // reserved 6 bits + lengthSizeMinusOne = 3
    u8(0xe1), // reserved 3 bits + one SPS
    u16(v.sps.length),
    v.sps,
    u8(1),
    u16(v.pps.length),
    v.pps,
  );
}

function sampleTables(entry: Buffer): Buffer {
  // Empty tables: every sample is in the fragments (§8.8.1).
  return box(
    "stbl",
    fullBox("stsd", 0, 0, u32(1), entry),
    fullBox("stts", 0, 0, u32(0)),
    fullBox("stsc", 0, 0, u32(0)),
    fullBox("stsz", 0, 0, u32(0), u32(0)),
    fullBox("stco", 0, 0, u32(0)),
  );
}

const dinf = (): Buffer => box("dinf", fullBox("dref", 0, 0, u32(1), fullBox("url ", 0, 1)));

function trak(id: number, timescale: number, handler: "vide" | "soun", header: Buffer, tkhdTail: Buffer, entry: Buffer): Buffer {
  return box(
    "trak",
    // tkhd flags 3: enabled + in movie; durations 0 (unknown: fragmented).
    fullBox("tkhd", 0, 3, u32(0), u32(0), u32(id), u32(0), u32(0), zeros(8), tkhdTail),
    box(
      "mdia",
      fullBox("mdhd", 0, 0, u32(0), u32(0), u32(timescale), u32(0), u16(0x55c4 /* "und" */), u16(0)),
      fullBox("hdlr", 0, 0, u32(0), Buffer.from(handler, "latin1"), zeros(12), Buffer.from(handler === "vide" ? "Video\0" : "Audio\0", "latin1")),
      box("minf", header, dinf(), sampleTables(entry)),
    ),
  );
}

function videoTrak(v: VideoTrackInfo): Buffer {
  // layer, alternate group, volume 0, reserved, matrix, width/height 16.16.
  const tail = Buffer.concat([u16(0), u16(0), u16(0), u16(0), MATRIX, u32(v.width << 16), u32(v.height << 16)]);
  const avc1 = box(
    "avc1",
    zeros(6),
    u16(1), // data_reference_index
    zeros(16),
    u16(v.width),
    u16(v.height),
    u32(0x00480000), // 72 dpi
    u32(0x00480000),
    u32(0),
    u16(1), // frame_count
    zeros(32), // compressorname
    u16(0x18), // depth
    u16(0xffff), // pre_defined = -1
    avcC(v),
  );
  return trak(VIDEO_TRACK_ID, VIDEO_TIMESCALE, "vide", fullBox("vmhd", 0, 1, zeros(8)), tail, avc1);
}

function audioTrak(a: AudioTrackInfo): Buffer {
  const tail = Buffer.concat([u16(0), u16(1), u16(0x0100), u16(0), MATRIX, u32(0), u32(0)]);
  // Opus in ISOBMFF ("Encapsulation of Opus in ISO Base Media File Format" §4.3): 'Opus' sample
  // entry with a dOps box (big-endian, unlike OpusHead). Pre-skip 0: recording starts mid-stream.
  const dOps = box("dOps", u8(0), u8(a.channels), u16(0), u32(AUDIO_TIMESCALE), u16(0), u8(0));
  const opus = box("Opus", zeros(6), u16(1), zeros(8), u16(a.channels), u16(16), u16(0), u16(0), u32(AUDIO_TIMESCALE << 16 >>> 0), dOps);
  return trak(AUDIO_TRACK_ID, AUDIO_TIMESCALE, "soun", fullBox("smhd", 0, 0, u16(0), u16(0)), tail, opus);
}

/** ftyp + moov for a video track and, optionally, an Opus track. */
export function initSegment(video: VideoTrackInfo, audio: AudioTrackInfo | null): Buffer {
  const trex = (id: number): Buffer => fullBox("trex", 0, 0, u32(id), u32(1), u32(0), u32(0), u32(0));
  const ftyp = box("ftyp", Buffer.from("iso5", "latin1"), u32(512), Buffer.from("iso5iso6mp41", "latin1"));
  const mvhd = fullBox("mvhd", 0, 0, u32(0), u32(0), u32(1000), u32(0), u32(0x10000), u16(0x0100), zeros(10), MATRIX, zeros(24), u32(audio ? 3 : 2));
  const moov = box("moov", mvhd, box("mvex", trex(VIDEO_TRACK_ID), ...(audio ? [trex(AUDIO_TRACK_ID)] : [])), videoTrak(video), ...(audio ? [audioTrak(audio)] : []));
  return Buffer.concat([ftyp, moov]);
}

export interface FragmentSample {
  data: Buffer;
  duration: number;
  flags: number;
}

export interface FragmentTrack {
  trackId: number;
  /** Decode time of the first sample, in the track's timescale (tfdt). */
  baseDecodeTime: number;
  samples: FragmentSample[];
}

/** One moof+mdat; tracks with no samples are left out. */
export function fragment(sequence: number, tracks: FragmentTrack[]): Buffer {
  const used = tracks.filter((t) => t.samples.length > 0);
  const build = (offsets: number[]): Buffer =>
    box(
      "moof",
      fullBox("mfhd", 0, 0, u32(sequence)),
      ...used.map((t, i) =>
        box(
          "traf",
          fullBox("tfhd", 0, 0x020000 /* default-base-is-moof */, u32(t.trackId)),
          fullBox("tfdt", 1, 0, u64(t.baseDecodeTime)),
          // trun flags: data-offset, sample duration, size and flags present (§8.8.8).
          fullBox("trun", 0, 0x000701, u32(t.samples.length), u32(offsets[i] ?? 0), ...t.samples.flatMap((s) => [u32(s.duration), u32(s.data.length), u32(s.flags)])),
        ),
      ),
    );
  const moofSize = build(used.map(() => 0)).length;
  const offsets: number[] = [];
  let at = moofSize + 8;
  for (const t of used) {
    offsets.push(at);
    at += t.samples.reduce((s, x) => s + x.data.length, 0);
  }
  const mdat = box("mdat", ...used.flatMap((t) => t.samples.map((s) => s.data)));
  return Buffer.concat([build(offsets), mdat]);
}
