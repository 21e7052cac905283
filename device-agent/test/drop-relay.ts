// Why: loss tests need to lose *chosen* datagrams (the camera's ServerHello, a STUN response),
// not random ones, so a handshake's recovery can be asserted by order and count. A UDP relay on
// 127.0.0.1 sits between a viewer and the camera: the viewer is given the relay's front port as
// the camera's only candidate; the relay forwards each datagram from a back socket, so the
// camera sees the viewer as a peer-reflexive candidate at the back port (RFC 8445 §7.3.1.3).
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";

export type Direction = "to-camera" | "to-viewer";

/** What a datagram is, by its first byte (RFC 7983 §7) and, for DTLS, its handshake types. */
export interface Datagram {
  dir: Direction;
  /** ms since the relay started. */
  at: number;
  kind: "stun" | "dtls" | "rtp" | "rtcp" | "other";
  /** STUN: method/class, e.g. 0x0001 (Binding request), 0x0101 (success response). */
  stunType?: number;
  /** STUN transaction id (hex), to pair requests and responses. */
  stunTx?: string;
  /** DTLS: content type and, for plaintext handshake records, the handshake msg_type, per record. */
  dtls?: { content: number; epoch: number; handshake?: number }[];
  /** RTP sequence number (kind "rtp"). */
  rtpSeq?: number;
  /** RTCP packet types in a compound packet (kind "rtcp"), and the FMT of each feedback packet. */
  rtcp?: { pt: number; fmt: number }[];
  dropped: boolean;
  bytes: Buffer;
}

export function classify(b: Buffer): Pick<Datagram, "kind" | "stunType" | "stunTx" | "dtls" | "rtpSeq" | "rtcp"> {
  const first = b[0] ?? 0;
  if (first <= 3 && b.length >= 20) return { kind: "stun", stunType: b.readUInt16BE(0), stunTx: b.subarray(8, 20).toString("hex") };
  if (first >= 20 && first <= 63) {
    const dtls: { content: number; epoch: number; handshake?: number }[] = [];
    let at = 0;
    while (at + 13 <= b.length) {
      const content = b[at]!;
      const epoch = b.readUInt16BE(at + 3);
      const length = b.readUInt16BE(at + 11);
      dtls.push({ content, epoch, ...(content === 22 && epoch === 0 && at + 13 < b.length ? { handshake: b[at + 13]! } : {}) });
      at += 13 + length;
    }
    return { kind: "dtls", dtls };
  }
  if (first >= 128 && first <= 191 && b.length >= 12) {
    const pt = b[1]!;
    // RTCP packet types 192–223 sit where RTP's marker bit + payload type would (RFC 5761 §4).
    if (pt >= 192 && pt <= 223) {
      const rtcp: { pt: number; fmt: number }[] = [];
      let at = 0;
      while (at + 4 <= b.length) {
        rtcp.push({ pt: b[at + 1]!, fmt: b[at]! & 0x1f });
        at += (b.readUInt16BE(at + 2) + 1) * 4;
      }
      return { kind: "rtcp", rtcp };
    }
    return { kind: "rtp", rtpSeq: b.readUInt16BE(2) };
  }
  return { kind: "other" };
}

export interface DropRelay {
  /** The port the viewer sends to (give it as the camera's candidate). */
  readonly frontPort: number;
  /** The port the camera sees the viewer at (give it as the viewer's candidate). */
  readonly backPort: number;
  /** Every datagram seen, in order, with whether it was dropped. */
  readonly log: Datagram[];
  /** Only datagrams of this direction and kind that were forwarded. */
  delivered(dir: Direction, kind: Datagram["kind"]): Datagram[];
  close(): void;
}

export interface DropRelayOptions {
  /** The camera's host candidate on 127.0.0.1. */
  cameraPort: number;
  /** Return true to drop this datagram (called once per datagram, in arrival order). */
  drop(d: Omit<Datagram, "dropped" | "bytes">, bytes: Buffer): boolean;
  /** One-way delay added to every forwarded datagram (ms), to give the path an RTT. */
  delayMs?: number;
}

export async function startDropRelay(o: DropRelayOptions): Promise<DropRelay> {
  const t0 = performance.now();
  const front = createSocket("udp4");
  const back = createSocket("udp4");
  const log: Datagram[] = [];
  let viewer: RemoteInfo | undefined;
  let closed = false;
  const forward = (sock: Socket, bytes: Buffer, port: number) => {
    const send = () => !closed && sock.send(bytes, port, "127.0.0.1");
    if (o.delayMs) setTimeout(send, o.delayMs);
    else send();
  };
  const handle = (dir: Direction, bytes: Buffer) => {
    const d = { dir, at: performance.now() - t0, ...classify(bytes) };
    const dropped = o.drop(d, bytes);
    log.push({ ...d, dropped, bytes });
    return !dropped;
  };
  front.on("message", (bytes, rinfo) => {
    viewer = rinfo;
    if (handle("to-camera", bytes)) forward(back, bytes, o.cameraPort);
  });
  back.on("message", (bytes) => {
    if (viewer && handle("to-viewer", bytes)) forward(front, bytes, viewer.port);
  });
  await Promise.all([front, back].map((s) => new Promise<void>((r) => s.bind(0, "127.0.0.1", r))));
  return {
    frontPort: front.address().port,
    backPort: back.address().port,
    log,
    delivered: (dir, kind) => log.filter((d) => d.dir === dir && d.kind === kind && !d.dropped),
    close() {
      closed = true;
      front.close();
      back.close();
    },
  };
}
