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
    const hold = onData.subscribe((datagram) => {
      if (isDtlsRecord(datagram) && held.length < MAX_HELD) held.push(Buffer.from(datagram));
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
