// Why: the camera is the ICE-controlling side, so werift 0.25 makes it the SCTP "client": it
// sends the only INIT that can open the data-channel association, ignores the browser's INIT and
// COOKIE ECHO, and retransmits its INIT on a fixed 3 s T1 timer (RTO.Initial, RFC 9260 §6.3.1).
// werift's peer connection reports "connected" only once SCTP is up, and the session starts its
// media then, so one lost INIT — or one the browser drops because it arrived just before the
// browser's own DTLS handshake finished (when the camera's last DTLS flight was lost) — cost
// ~3 s of black screen (issue 12: "DTLS waited ~3 s" under 2 % loss). Two fixes:
//  1. Answer the browser's INIT while our own is outstanding (COOKIE-WAIT / COOKIE-ECHOED), as
//     RFC 9260 §5.2.1 requires ("MUST respond with an INIT ACK using the same parameters it sent
//     in its original INIT"), and accept its COOKIE ECHO (§5.2.4): whichever INIT gets through
//     first opens the association — Chromium sends its own as soon as its DTLS is up.
//  2. T1 (INIT and COOKIE ECHO) starts at about two ICE round trips and doubles on every expiry
//     (handshake-rto.ts; §6.3.3 E2), instead of 3 s flat.
//  3. The data timer (T3) starts from the same estimate instead of RTO.Initial = 3 s, and its
//     floor is SCTP_RTO_FLOOR_S instead of RTO.Min = 1 s (§6.3.1 C6): a lost DCEP OPEN or first
//     control message cost 3 s (measured: data channel open 3.6 s after a 0.9 s connect at
//     150 ms RTT + 2 % loss). §16 gives RTO.Min only as a recommended value; the path's RTT
//     is known here and T3 still backs off by doubling (§6.3.3 E2).
import { RTCSctpTransport } from "werift";
import { iceRttSeconds, initialHandshakeRtoMs, nextHandshakeRtoMs } from "./handshake-rto.ts";

import { SCTP_NUMBERS } from "./private-names.ts";

/** Chunk types (RFC 9260 §3.2) and werift's SCTP_STATE values (lib/sctp/src/const). */
const { INIT, COOKIE_ECHO, CLOSED: STATE_CLOSED, COOKIE_WAIT: STATE_COOKIE_WAIT, COOKIE_ECHOED: STATE_COOKIE_ECHOED, ESTABLISHED: STATE_ESTABLISHED } = SCTP_NUMBERS;
/** The lowest T3 RTO in seconds once measured (werift uses RTO.Min = 1 s). */
export const SCTP_RTO_FLOOR_S = 0.2;
/** werift's SCTP_RTO_MAX (RFC 9260 §16 RTO.Max), seconds. */
const SCTP_RTO_MAX_S = 60;
/** werift's SCTP_MAX_INIT_RETRANS (RFC 9260 §16 Max.Init.Retransmits). */
const MAX_INIT_RETRANS = 8;

/** The werift SCTP association internals these fixes touch (werift 0.25.2, lib/sctp/src/sctp). */
export interface SctpInternals {
  isServer: boolean;
  isStopped: boolean;
  associationState: number;
  timer1Handle: NodeJS.Timeout | undefined;
  timer1Chunk: unknown;
  timer1Failures: number;
  rto: number;
  srtt: number | undefined;
  rttvar: number;
  updateRto(r: number): void;
  timer1Start(chunk: unknown): void;
  timer1Expired: () => void;
  timer1Cancel(): void;
  receiveChunk(chunk: { type: number }): Promise<void>;
  sendChunk(chunk: unknown): Promise<void>;
  setState(state: number): void;
}
interface SctpTransportInternals {
  sctp: SctpInternals;
  dtlsTransport: { iceTransport: { connection: unknown } };
  start(remotePort?: number): Promise<void>;
}

const MARK = Symbol.for("porthole.sctp-fast-open");

/** Counts, for tests and logs: how the association opened. */
export const sctpFastOpenStats = { peerInitsAnswered: 0, t1Retransmits: 0 };

const INITIAL_RTO = Symbol("porthole.sctp-initial-rto");
/** The first T1/T3 timeout (ms) this patch gave an association (undefined: not patched). */
export function sctpInitialRtoMs(sctp: object): number | undefined {
  return (sctp as { [INITIAL_RTO]?: number })[INITIAL_RTO];
}

/**
 * Gives one association the RTT-based T1 timer. The first timeout is `initialMs`; each expiry
 * resends the chunk (INIT or COOKIE ECHO) and doubles it.
 */
export function useRttT1Timer(sctp: SctpInternals, initialMs: number): void {
  let rtoMs = initialMs;
  sctp.timer1Start = function (this: SctpInternals, chunk: unknown) {
    if (this.timer1Handle) clearTimeout(this.timer1Handle);
    this.timer1Chunk = chunk;
    this.timer1Failures = 0;
    rtoMs = initialMs;
    this.timer1Handle = setTimeout(this.timer1Expired, rtoMs);
  };
  sctp.timer1Expired = () => {
    if (sctp.isStopped) return;
    sctp.timer1Failures++;
    sctp.timer1Handle = undefined;
    if (sctp.timer1Failures > MAX_INIT_RETRANS) {
      sctp.setState(STATE_CLOSED);
      return;
    }
    sctpFastOpenStats.t1Retransmits++;
    sctp.sendChunk(sctp.timer1Chunk).catch(() => {
      /* the transport closed; setState(CLOSED) follows */
    });
    rtoMs = nextHandshakeRtoMs(rtoMs);
    sctp.timer1Handle = setTimeout(sctp.timer1Expired, rtoMs);
  };
}

/** RFC 9260 §6.3.1 C3 with SCTP_RTO_FLOOR_S as RTO.Min; werift's own update runs first (srtt, rttvar). */
export function useLowerRtoFloor(sctpProto: SctpInternals & { [MARK]?: true }): void {
  const updateRto = sctpProto.updateRto;
  sctpProto.updateRto = function (this: SctpInternals, r: number) {
    updateRto.call(this, r);
    if (this.srtt !== undefined) this.rto = Math.max(SCTP_RTO_FLOOR_S, Math.min(this.srtt + 4 * this.rttvar, SCTP_RTO_MAX_S));
  };
}

/** Lets an association that sent its own INIT also open from the peer's (simultaneous open). */
export function answerPeerInit(sctpProto: SctpInternals & { [MARK]?: true }): void {
  if (sctpProto[MARK]) return;
  const receiveChunk = sctpProto.receiveChunk;
  sctpProto.receiveChunk = function (this: SctpInternals, chunk: { type: number }) {
    const opening = this.associationState === STATE_COOKIE_WAIT || this.associationState === STATE_COOKIE_ECHOED;
    if (this.isServer || !opening || (chunk.type !== INIT && chunk.type !== COOKIE_ECHO)) return receiveChunk.call(this, chunk);
    // werift's server branch does exactly what §5.2.1/§5.2.4 ask here: an INIT ACK carrying the
    // same Initiate Tag and initial TSN as our INIT, then COOKIE ACK and ESTABLISHED on a valid
    // cookie. It reads isServer only before its first await, so the flag is restored at once.
    this.isServer = true;
    const done = receiveChunk.call(this, chunk);
    this.isServer = false;
    if (chunk.type === INIT) sctpFastOpenStats.peerInitsAnswered++;
    return done.then(() => {
      // Open through the peer's handshake: our own INIT / COOKIE ECHO needs no more resends.
      if (this.associationState === STATE_ESTABLISHED) this.timer1Cancel();
    });
  };
  sctpProto[MARK] = true;
}

export function installSctpFastOpen(): void {
  const proto = RTCSctpTransport.prototype as unknown as SctpTransportInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  if (typeof proto.start !== "function") throw new Error("werift internals changed: review device-agent/src/werift/sctp-fast-open.ts");
  const start = proto.start;
  proto.start = function (this: SctpTransportInternals, remotePort?: number) {
    const sctp = this.sctp;
    const sctpProto = Object.getPrototypeOf(sctp) as SctpInternals;
    if (typeof sctpProto.receiveChunk !== "function" || typeof sctpProto.timer1Start !== "function" || typeof sctpProto.updateRto !== "function" || typeof sctp.timer1Expired !== "function" || typeof sctp.rto !== "number") {
      throw new Error("werift internals changed: review device-agent/src/werift/sctp-fast-open.ts");
    }
    if (!(sctpProto as { [MARK]?: true })[MARK]) useLowerRtoFloor(sctpProto);
    answerPeerInit(sctpProto);
    // DTLS is up, so ICE has a nominated pair with a measured round trip.
    const initialMs = initialHandshakeRtoMs(iceRttSeconds(this.dtlsTransport?.iceTransport?.connection));
    (sctp as SctpInternals & { [INITIAL_RTO]?: number })[INITIAL_RTO] = initialMs;
    useRttT1Timer(sctp, initialMs);
    sctp.rto = initialMs / 1000; // RTO.Initial for T3 until the first measurement (§6.3.1 C1)
    return start.call(this, remotePort);
  };
  proto[MARK] = true;
}
