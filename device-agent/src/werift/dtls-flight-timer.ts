// Why: the camera is the DTLS server (it offers actpass, the browser answers active), and its
// one timed flight is flight 4 (ServerHello … ServerHelloDone, five datagrams in werift — the
// likeliest flight to lose a datagram). werift 0.25 resends it on a fixed ladder (500 ms, 1 s,
// 1.5 s…, lib/dtls/src/flight/flight.ts), whatever the path's round trip. RFC 6347 §4.2.4.1
// starts at 1 s; RFC 9147 §5.8.2 lets an implementation start from an RTT estimate, and ICE has
// just measured one. So flight 4 is resent after about two ICE round trips (handshake-rto.ts),
// doubling each time, until flight 5 arrives. werift's own ladder keeps running (a late extra
// copy is harmless), and werift already answers a retransmitted peer flight at once by resending
// its last flight (RFC 6347 §4.2.4: "flight4 twice" / "flight6 twice" in lib/dtls/src/flight).
// HelloVerifyRequest (flight 2) is stateless and never retransmitted by a server (§4.2.1); the
// server's last flight (6) is resent only when the client's flight 5 comes again (§4.2.4).
import { RTCDtlsTransport } from "werift";
import { iceRttSeconds, initialHandshakeRtoMs, nextHandshakeRtoMs } from "./handshake-rto.ts";

/** Flight 4 is resent at most this many times by this timer (werift's own gives up after 10). */
const MAX_RESENDS = 8;

/** The werift DTLS server internals this patch reads (werift 0.25.2, lib/dtls/src). */
export interface DtlsServerInternals {
  connected: boolean;
  dtls: { flight: number; lastMessage: Buffer[] };
  transport: { send: (buf: Buffer, addr?: unknown) => Promise<unknown> };
  onClose: { subscribe(fn: () => void): unknown };
}
interface DtlsTransportInternals {
  role: string;
  dtls: DtlsServerInternals | undefined;
  iceTransport: { connection: unknown };
  start(): Promise<void>;
}

const MARK = Symbol.for("porthole.dtls-flight-timer");

/** Counts, for tests and logs: flight-4 resends made by this timer. */
export const dtlsFlightTimerStats = { flight4Resends: 0, lastInitialRtoMs: 0 };

/**
 * Resends a DTLS server's flight 4 after `initialMs`, doubling, until the handshake moves past
 * it. Watches the server's sends: werift sets dtls.flight = 4 just before it sends the flight.
 */
export function resendFlight4OnTimer(server: DtlsServerInternals, initialMs: number): void {
  const transport = server.transport;
  const send = transport.send;
  let armedFor: Buffer[] | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const waitingForFlight5 = () => !closed && !server.connected && server.dtls.flight === 4;
  const arm = (flight: Buffer[], rtoMs: number, resends: number) => {
    timer = setTimeout(() => {
      timer = undefined;
      if (!waitingForFlight5() || server.dtls.lastMessage !== flight) return;
      dtlsFlightTimerStats.flight4Resends++;
      for (const datagram of flight) send(datagram).catch(() => {});
      if (resends + 1 < MAX_RESENDS) arm(flight, nextHandshakeRtoMs(rtoMs), resends + 1);
    }, rtoMs);
  };
  transport.send = (buf, addr) => {
    const sent = send(buf, addr);
    const flight = server.dtls.lastMessage;
    if (waitingForFlight5() && flight !== armedFor && flight.length > 0) {
      armedFor = flight;
      if (timer) clearTimeout(timer);
      arm(flight, initialMs, 0);
    }
    return sent;
  };
  server.onClose.subscribe(() => {
    closed = true;
    if (timer) clearTimeout(timer);
  });
}

export function installDtlsFlightTimer(): void {
  const proto = RTCDtlsTransport.prototype as unknown as DtlsTransportInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  if (typeof proto.start !== "function") throw new Error("werift internals changed: review device-agent/src/werift/dtls-flight-timer.ts");
  const start = proto.start;
  proto.start = function (this: DtlsTransportInternals) {
    // start() builds its DtlsServer synchronously, before its first await and before any
    // datagram (even one held by early-dtls.ts, replayed in a microtask) reaches it.
    const started = start.call(this);
    const server = this.dtls;
    if (this.role === "server" && server) {
      if (!server.transport || typeof server.transport.send !== "function" || !server.dtls) {
        throw new Error("werift internals changed: review device-agent/src/werift/dtls-flight-timer.ts");
      }
      const initialMs = initialHandshakeRtoMs(iceRttSeconds(this.iceTransport?.connection));
      dtlsFlightTimerStats.lastInitialRtoMs = initialMs;
      resendFlight4OnTimer(server, initialMs);
    }
    return started;
  };
  proto[MARK] = true;
}
