// Why: ffmpeg's `zmq` filter takes runtime filter commands ("crop@ptz x 120") on a ZeroMQ REP
// socket and applies every queued one before each frame — the only way Debian's ffmpeg 5.1
// accepts many commands per frame (stdin `c` reads one command per 100 ms). This is the small
// part of ZMTP 3.0 (rfc.zeromq.org/spec/23) needed to be a DEALER peer: greeting with the NULL
// mechanism, READY, and framed messages. Pure encode/decode here; the socket is in
// filter-command-client.ts.

/** Greeting (§ "Version negotiation"): signature, version 3.0, mechanism NULL, as-server 0. */
export function zmtpGreeting(): Buffer {
  const g = Buffer.alloc(64);
  g[0] = 0xff;
  g[9] = 0x7f;
  g[10] = 3;
  g[11] = 0;
  g.write("NULL", 12, "ascii");
  return g;
}

const FLAG_MORE = 0x01;
const FLAG_LONG = 0x02;
const FLAG_COMMAND = 0x04;

function frame(flags: number, body: Buffer): Buffer {
  if (body.length <= 255) return Buffer.concat([Buffer.from([flags, body.length]), body]);
  const head = Buffer.alloc(9);
  head[0] = flags | FLAG_LONG;
  head.writeBigUInt64BE(BigInt(body.length), 1);
  return Buffer.concat([head, body]);
}

/** READY command with Socket-Type metadata (NULL mechanism handshake). */
export function zmtpReady(socketType: string): Buffer {
  const name = Buffer.from("READY", "ascii");
  const prop = Buffer.from("Socket-Type", "ascii");
  const value = Buffer.from(socketType, "ascii");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(value.length);
  const body = Buffer.concat([Buffer.from([name.length]), name, Buffer.from([prop.length]), prop, len, value]);
  return frame(FLAG_COMMAND, body);
}

/** A DEALER → REP request: an empty delimiter frame, then the body (what a REQ socket sends). */
export function zmtpRequest(body: string): Buffer {
  return Buffer.concat([frame(FLAG_MORE, Buffer.alloc(0)), frame(0, Buffer.from(body, "utf8"))]);
}

export type ZmtpItem = { kind: "command"; name: string } | { kind: "message"; frames: Buffer[] };

/**
 * Incremental decoder: feed bytes as they arrive, get the peer's greeting consumed, then
 * commands and complete multi-frame messages.
 */
export function createZmtpDecoder(): { push(chunk: Buffer): ZmtpItem[] } {
  let buf = Buffer.alloc(0);
  let greeted = false;
  let parts: Buffer[] = [];
  return {
    push(chunk) {
      buf = Buffer.concat([buf, chunk]);
      const out: ZmtpItem[] = [];
      if (!greeted) {
        if (buf.length < 64) return out;
        if (buf[0] !== 0xff || buf[9] !== 0x7f) throw new Error("not a ZMTP peer (bad signature)");
        if ((buf[10] ?? 0) < 3) throw new Error(`ZMTP ${buf[10]}.x peer; 3.x is needed`);
        buf = buf.subarray(64);
        greeted = true;
      }
      for (;;) {
        if (buf.length < 2) break;
        const flags = buf[0]!;
        let size: number;
        let head: number;
        if (flags & FLAG_LONG) {
          if (buf.length < 9) break;
          size = Number(buf.readBigUInt64BE(1));
          head = 9;
        } else {
          size = buf[1]!;
          head = 2;
        }
        if (buf.length < head + size) break;
        const body = Buffer.from(buf.subarray(head, head + size));
        buf = buf.subarray(head + size);
        if (flags & FLAG_COMMAND) {
          out.push({ kind: "command", name: body.subarray(1, 1 + (body[0] ?? 0)).toString("ascii") });
          continue;
        }
        parts.push(body);
        if (!(flags & FLAG_MORE)) {
          out.push({ kind: "message", frames: parts });
          parts = [];
        }
      }
      return out;
    },
  };
}
