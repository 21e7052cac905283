// The Ogg Opus writer is checked against the agent's own Ogg reader (RFC 3533 pages, RFC 7845
// headers): packets survive the round trip in order, and page granules count the samples.
import { describe, expect, it } from "vitest";
import { parseOggOpus, parseOggPackets } from "../../media/ogg-opus-reader.ts";
import { createOggOpusWriter, oggCrc32 } from "./ogg-opus-writer.ts";

/** A fake Opus packet: TOC 0xf8 (CELT FB 20 ms, mono, code 0) and `n` body bytes. */
function opus(n: number, fill: number): Uint8Array {
  const p = new Uint8Array(n + 1).fill(fill);
  p[0] = 0xf8;
  return p;
}

interface Page {
  flags: number;
  granule: bigint;
  serial: number;
  sequence: number;
  crcOk: boolean;
}

function pages(bytes: Uint8Array): Page[] {
  const out: Page[] = [];
  const buf = Buffer.from(bytes);
  let off = 0;
  while (off < buf.length) {
    expect(buf.toString("latin1", off, off + 4)).toBe("OggS");
    const n = buf[off + 26]!;
    const body = [...buf.subarray(off + 27, off + 27 + n)].reduce((a, b) => a + b, 0);
    const len = 27 + n + body;
    const copy = Buffer.from(buf.subarray(off, off + len));
    const crc = copy.readUInt32LE(22);
    copy.writeUInt32LE(0, 22);
    out.push({ flags: buf[off + 5]!, granule: buf.readBigInt64LE(off + 6), serial: buf.readUInt32LE(off + 14), sequence: buf.readUInt32LE(off + 18), crcOk: oggCrc32(copy) === crc });
    off += len;
  }
  return out;
}

function writeAll(packets: Uint8Array[], packetsPerPage: number): Uint8Array {
  const w = createOggOpusWriter({ serial: 0x1234, channels: 1, packetsPerPage, comments: ["TALKER=alice"] });
  const parts = [w.headers()];
  for (const p of packets) {
    const page = w.push(p, 960);
    if (page) parts.push(page);
  }
  parts.push(w.end());
  return Buffer.concat(parts);
}

describe("Ogg Opus writer", () => {
  it("round-trips packets through the Ogg Opus reader, headers included", () => {
    const packets = Array.from({ length: 120 }, (_, i) => opus(20 + (i % 300), i & 0xff));
    packets.push(opus(600, 7)); // longer than 255 bytes: laced over several segments
    const file = writeAll(packets, 50);
    const parsed = parseOggOpus(Buffer.from(file));
    expect(parsed.channels).toBe(1);
    expect(parsed.preSkip).toBe(312);
    expect(parsed.packets.map((p) => Buffer.from(p).toString("hex"))).toEqual(packets.map((p) => Buffer.from(p).toString("hex")));
    const tags = parseOggPackets(Buffer.from(file))[1]!;
    expect(tags.toString("latin1")).toContain("TALKER=alice");
  });

  it("puts OpusHead alone on a BOS page, ends with EOS, numbers pages and signs them with the Ogg CRC", () => {
    const ps = pages(writeAll(Array.from({ length: 10 }, (_, i) => opus(40, i)), 4));
    expect(ps[0]!.flags).toBe(0x02);
    expect(ps.at(-1)!.flags).toBe(0x04);
    expect(ps.slice(1, -1).every((p) => p.flags === 0)).toBe(true);
    expect(ps.map((p) => p.sequence)).toEqual(ps.map((_, i) => i));
    expect(ps.every((p) => p.crcOk && p.serial === 0x1234)).toBe(true);
  });

  it("sets each audio page's granule to the samples written through it, the last to the total", () => {
    const ps = pages(writeAll(Array.from({ length: 10 }, (_, i) => opus(40, i)), 4));
    expect(ps[0]!.granule).toBe(0n);
    expect(ps[1]!.granule).toBe(0n); // OpusTags
    const audio = ps.slice(2).map((p) => p.granule);
    expect(audio).toEqual([4n * 960n, 8n * 960n, 10n * 960n]);
  });

  it("writes one packet per page for live pipes", () => {
    expect(pages(writeAll([opus(10, 1), opus(10, 2), opus(10, 3)], 1))).toHaveLength(2 + 3);
  });

  it("ends an empty stream with one concealment frame so it stays a valid stream", () => {
    const w = createOggOpusWriter({ serial: 1, channels: 2 });
    const file = Buffer.concat([w.headers(), w.end()]);
    const parsed = parseOggOpus(file);
    expect(parsed.channels).toBe(2);
    expect(parsed.packets).toHaveLength(1);
  });

  it("computes the Ogg CRC-32 of a known input", () => {
    // Polynomial 0x04c11db7, init 0, unreflected, no final XOR: libogg's check value for "123456789".
    expect(oggCrc32(new TextEncoder().encode("123456789"))).toBe(0x89a1897f);
  });
});
