import { describe, expect, it } from "vitest";
import { groupAccessUnits, isIdrAccessUnit, nalType, splitAnnexB } from "./annexb-reader.ts";
import { loadDemoClip } from "./demo-source.ts";
import { isVp8Keyframe, parseIvf } from "./ivf-reader.ts";
import { opusPacketSamples, parseOggOpus, parseOggPackets } from "./ogg-opus-reader.ts";

function ivf(frames: Buffer[]): Buffer {
  const h = Buffer.alloc(32);
  h.write("DKIF", 0, "latin1");
  h.writeUInt16LE(32, 6);
  h.write("VP80", 8, "latin1");
  h.writeUInt16LE(640, 12);
  h.writeUInt16LE(360, 14);
  h.writeUInt32LE(15, 16);
  h.writeUInt32LE(1, 20);
  h.writeUInt32LE(frames.length, 24);
  const parts: Buffer[] = [h];
  frames.forEach((f, i) => {
    const fh = Buffer.alloc(12);
    fh.writeUInt32LE(f.length, 0);
    fh.writeBigUInt64LE(BigInt(i), 4);
    parts.push(fh, f);
  });
  return Buffer.concat(parts);
}

function oggPage(serial: number, seq: number, packets: Buffer[], flags = 0): Buffer {
  const lacing: number[] = [];
  for (const p of packets) {
    let n = p.length;
    while (n >= 255) {
      lacing.push(255);
      n -= 255;
    }
    lacing.push(n);
  }
  const h = Buffer.alloc(27);
  h.write("OggS", 0, "latin1");
  h[5] = flags;
  h.writeUInt32LE(serial, 14);
  h.writeUInt32LE(seq, 18);
  h[26] = lacing.length;
  return Buffer.concat([h, Buffer.from(lacing), ...packets]);
}

describe("IVF reader", () => {
  it("reads header fields and frames in order", () => {
    const f = parseIvf(ivf([Buffer.from([0x10, 1, 2]), Buffer.from([0x11])]));
    expect(f.fourcc).toBe("VP80");
    expect([f.width, f.height, f.rate, f.scale]).toEqual([640, 360, 15, 1]);
    expect(f.frames.map((x) => x.pts)).toEqual([0, 1]);
    expect(isVp8Keyframe(f.frames[0]!.data)).toBe(true);
    expect(isVp8Keyframe(f.frames[1]!.data)).toBe(false);
  });

  it("refuses a file without the DKIF signature and a truncated frame", () => {
    expect(() => parseIvf(Buffer.alloc(40))).toThrow(/DKIF/);
    const good = ivf([Buffer.alloc(100)]);
    expect(() => parseIvf(good.subarray(0, good.length - 10))).toThrow(/truncated/);
  });
});

describe("Annex B reader", () => {
  it("splits on 3- and 4-byte start codes", () => {
    const s = Buffer.from([0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 0x88, 9]);
    const nals = splitAnnexB(s);
    expect(nals.map(nalType)).toEqual([7, 8, 5]);
    expect([...nals[0]!]).toEqual([0x67, 1, 2]);
  });

  it("groups SPS+PPS+IDR into one access unit and starts a new one per picture", () => {
    const sps = Buffer.from([0x67, 1]);
    const pps = Buffer.from([0x68, 1]);
    const idr = Buffer.from([0x65, 0x88]); // first_mb_in_slice = 0
    const p1 = Buffer.from([0x41, 0x9a]);
    const p1b = Buffer.from([0x41, 0x40]); // second slice of the same picture (first_mb != 0)
    const p2 = Buffer.from([0x41, 0x9a]);
    const units = groupAccessUnits([sps, pps, idr, p1, p1b, p2]);
    expect(units.map((u) => u.length)).toEqual([3, 2, 1]);
    expect(isIdrAccessUnit(units[0]!)).toBe(true);
    expect(isIdrAccessUnit(units[1]!)).toBe(false);
  });
});

describe("Ogg Opus reader", () => {
  it("joins a packet that spans pages and skips the Opus headers", () => {
    const head = Buffer.alloc(19);
    head.write("OpusHead", 0, "latin1");
    head[8] = 1;
    head[9] = 1;
    head.writeUInt16LE(312, 10);
    const tags = Buffer.from("OpusTags\0\0\0\0\0\0\0\0", "latin1");
    const big = Buffer.alloc(600, 7);
    // First page carries 510 bytes of `big` (two 255 laces, unterminated), second the rest.
    const page1 = oggPage(1, 0, [head]);
    const page2 = oggPage(1, 1, [tags]);
    const h3 = Buffer.alloc(27);
    h3.write("OggS", 0, "latin1");
    h3.writeUInt32LE(1, 14);
    h3[26] = 2;
    const page3 = Buffer.concat([h3, Buffer.from([255, 255]), big.subarray(0, 510)]);
    const page4 = oggPage(1, 3, [big.subarray(510), Buffer.from([0x78, 1])], 1);
    const parsed = parseOggOpus(Buffer.concat([page1, page2, page3, page4]));
    expect(parsed.channels).toBe(1);
    expect(parsed.preSkip).toBe(312);
    expect(parsed.packets.map((p) => p.length)).toEqual([600, 2]);
    expect(parseOggPackets(Buffer.concat([page1, page2])).length).toBe(2);
  });

  it("computes packet durations from the TOC byte", () => {
    expect(opusPacketSamples(Buffer.from([(31 << 3) | 0]))).toBe(960); // CELT 20 ms
    expect(opusPacketSamples(Buffer.from([(1 << 3) | 0]))).toBe(960); // SILK 20 ms
    expect(opusPacketSamples(Buffer.from([(31 << 3) | 1]))).toBe(1920); // two frames
    expect(opusPacketSamples(Buffer.from([(16 << 3) | 3, 3]))).toBe(360); // 3 × 2.5 ms
  });
});

describe("shipped demo clip", () => {
  it("parses into equal VP8/H.264 frame counts that start on keyframes, plus Opus", () => {
    const clip = loadDemoClip();
    expect(clip.fps).toBe(15);
    expect(clip.vp8.length).toBe(90);
    expect(clip.h264.length).toBe(90);
    expect(clip.opus.length).toBeGreaterThan(250);
    expect(clip.opus.every((p) => opusPacketSamples(p) === 960)).toBe(true);
  });
});
