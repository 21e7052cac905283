// Why: werift starts listening for DTLS only once its ICE agent reports connected, but the
// browser sends its ClientHello the moment its own connectivity check succeeds — usually a few
// ms earlier. werift drops that datagram and the handshake waits for Chromium's retransmission
// timer (50 ms, then 100 ms…; RFC 6347 §4.2.4.1), measured at ~35–50 ms of time to first frame
// on a LAN and a full retransmission on lossy links. We hold DTLS datagrams (first byte 20–63,
// RFC 7983 §7) that arrive before werift's DTLS transport starts and hand them to it at once.
import type { RTCPeerConnection } from "werift";

/** A handshake's first flight is a few datagrams; anything beyond this is not a handshake. */
const MAX_HELD = 16;

interface Subscription {
  unSubscribe(): void;
}
interface WeriftEvent<A extends unknown[]> {
  subscribe(fn: (...args: A) => void): Subscription;
  execute(...args: A): void;
}
interface DtlsTransportInternals {
  state: string;
  onStateChange: WeriftEvent<[string]>;
  iceTransport: { connection: { onData: WeriftEvent<[Buffer]> } };
}

export function isDtlsRecord(datagram: Uint8Array): boolean {
  const first = datagram[0];
  return first !== undefined && first >= 20 && first <= 63;
}

const RECORD_HEADER = 13; // type, version, epoch, sequence number, length (RFC 6347 §4.1)
const HANDSHAKE_HEADER = 12; // type, length, message_seq, fragment_offset, fragment_length (§4.2.2)

/**
 * Which handshake fragments a datagram carries, e.g. "1:0:0:230" (ClientHello, message_seq 0,
 * offset 0, length 230), for every record in it. A retransmitted flight carries the same
 * fragments under new record sequence numbers; a browser behind TURN splits its ClientHello
 * into several fragments (smaller MTU). Null when a record is not a handshake.
 */
export function handshakeFragmentKey(datagram: Uint8Array): string | null {
  const parts: string[] = [];
  let at = 0;
  while (at + RECORD_HEADER <= datagram.length) {
    const type = datagram[at]!;
    const length = (datagram[at + 11]! << 8) | datagram[at + 12]!;
    const body = at + RECORD_HEADER;
    if (type !== 22 || body + HANDSHAKE_HEADER > datagram.length) return null;
    const u24 = (i: number) => (datagram[i]! << 16) | (datagram[i + 1]! << 8) | datagram[i + 2]!;
    const msgType = datagram[body]!;
    const messageSeq = (datagram[body + 4]! << 8) | datagram[body + 5]!;
    parts.push(`${msgType}:${messageSeq}:${u24(body + 6)}:${u24(body + 9)}`);
    at = body + length;
  }
  return parts.length ? parts.join("|") : null;
}

/**
 * Holds early DTLS datagrams for every DTLS transport of `pc` still in state "new". Call after
 * the transceivers exist (they create the transports) and before the answer is applied.
 * Returns the number of transports watched.
 */
export function holdEarlyDtls(pc: RTCPeerConnection): number {
  const transports = (pc as unknown as { dtlsTransports: DtlsTransportInternals[] }).dtlsTransports ?? [];
  let watched = 0;
  for (const dtls of transports) {
    if (dtls.state !== "new") continue;
    const onData = dtls.iceTransport?.connection?.onData;
    if (!onData) continue;
    watched++;
    const held: Buffer[] = [];
    const seen = new Set<string>();
    const hold = onData.subscribe((datagram) => {
      if (!isDtlsRecord(datagram) || held.length >= MAX_HELD) return;
      // One copy of each fragment: replaying retransmissions too makes werift answer the same
      // ClientHello several times, each with a new cookie, and the handshake never settles.
      const key = handshakeFragmentKey(datagram);
      if (key !== null && seen.has(key)) return;
      if (key !== null) seen.add(key);
      held.push(Buffer.from(datagram));
    });
    const watch = dtls.onStateChange.subscribe((state) => {
      if (state === "new") return;
      watch.unSubscribe();
      hold.unSubscribe();
      if (state !== "connecting" || held.length === 0) return;
      // "connecting" is set just before werift builds its DTLS endpoint in the same tick; the
      // endpoint is listening by the next microtask.
      queueMicrotask(() => {
        for (const datagram of held.splice(0)) onData.execute(datagram);
      });
    });
  }
  return watched;
}
