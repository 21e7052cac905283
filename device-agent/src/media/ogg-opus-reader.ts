// Why: the demo's audio is Ogg Opus (RFC 7845); the agent extracts the Opus packets from the
// Ogg pages (RFC 3533) itself so it needs no demuxer at run time.

/** Extracts every packet of the first logical stream, joining packets that span pages. */
export function parseOggPackets(buf: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  let pending: Buffer[] = [];
  let serial: number | undefined;
  let off = 0;
  while (off + 27 <= buf.length) {
    if (buf.toString("latin1", off, off + 4) !== "OggS") throw new Error(`no Ogg page at offset ${off}`);
    const pageSerial = buf.readUInt32LE(off + 14);
    const segments = buf[off + 26] ?? 0;
    const table = buf.subarray(off + 27, off + 27 + segments);
    let body = off + 27 + segments;
    if (table.length < segments) throw new Error("truncated Ogg segment table");
    serial ??= pageSerial;
    const mine = pageSerial === serial;
    for (const lacing of table) {
      if (body + lacing > buf.length) throw new Error("truncated Ogg page");
      if (mine) pending.push(buf.subarray(body, body + lacing));
      body += lacing;
      // A lacing value below 255 ends a packet (RFC 3533 §6).
      if (lacing < 255 && mine) {
        packets.push(Buffer.concat(pending));
        pending = [];
      }
    }
    off = body;
  }
  return packets;
}

/** The Opus packets of an Ogg Opus file, without the OpusHead and OpusTags headers (RFC 7845 §3). */
export function parseOggOpus(buf: Buffer): { channels: number; preSkip: number; packets: Buffer[] } {
  const all = parseOggPackets(buf);
  const head = all[0];
  if (!head || head.toString("latin1", 0, 8) !== "OpusHead") throw new Error("not an Ogg Opus file (no OpusHead)");
  const tags = all[1];
  if (!tags || tags.toString("latin1", 0, 8) !== "OpusTags") throw new Error("missing OpusTags");
  return { channels: head[9] ?? 1, preSkip: head.readUInt16LE(10), packets: all.slice(2).filter((p) => p.length > 0) };
}

/** Samples at 48 kHz in one Opus packet, from its TOC byte (RFC 6716 §3.1). */
export function opusPacketSamples(packet: Buffer): number {
  const toc = packet[0] ?? 0;
  const config = toc >> 3;
  let frameSamples: number;
  if (config < 12) frameSamples = [480, 960, 1920, 2880][config % 4] ?? 960; // SILK 10/20/40/60 ms
  else if (config < 16) frameSamples = [480, 960][config % 2] ?? 960; // hybrid 10/20 ms
  else frameSamples = [120, 240, 480, 960][config % 4] ?? 960; // CELT 2.5/5/10/20 ms
  const c = toc & 0x03;
  const frames = c === 0 ? 1 : c === 1 || c === 2 ? 2 : (packet[1] ?? 0) & 0x3f;
  return frameSamples * frames;
}
