// Why: werift answers a viewer's generic NACK (RFC 4585 §6.2.1) from a send history of 128 RTP
// packets (RTP_HISTORY_SIZE, a slot per sequence number mod 128). The camera sends a burst at
// the start of every session and on every PLI — the GOP since the last keyframe, hundreds of
// packets (peer-session.ts, track-feed.ts) — so by the time a NACK for a lost keyframe packet
// comes back (one round trip; two if the retransmission is lost too), werift has overwritten it:
// the viewer cannot repair the keyframe, waits, and asks for another (PLI), which the session
// answers at most once a second. A longer history per sender keeps those packets answerable:
// NACK_HISTORY packets (~2.5 s at 2 Mbps), filled into werift's slot just before werift reads it.
// No RTX stream is negotiated (the offer has no rtx codec), so werift resends the packet as sent,
// as RFC 4585 allows; the viewer's jitter buffer takes it by sequence number.
import { RTCRtpSender, type RtpPacket } from "werift";

/** Packets kept per sender for retransmission (a power of two: a slot per seq mod this). */
export const NACK_HISTORY = 512;
/** werift's own history size (RTP_HISTORY_SIZE in lib/webrtc/src/media/rtpSender). */
const WERIFT_HISTORY = 128;
/** RTCP transport-layer feedback (RFC 4585 §6.1) and its generic NACK FMT (§6.2.1). */
const RTPFB = 205;
const GENERIC_NACK = 1;

interface SenderInternals {
  sequenceNumber: number | undefined;
  rtpCache: (RtpPacket | undefined)[];
  dispatchRtp(rtp: unknown): Promise<void>;
  handleRtcpPacket(packet: { type: number; feedback?: { count?: number; lost?: number[] } }): void;
  [HISTORY]?: (RtpPacket | undefined)[];
}

const HISTORY = Symbol("porthole.nack-history");
const MARK = Symbol.for("porthole.nack-history");

/** Counts, for tests and logs: NACKed packets found only in the longer history, and NACKs for
 *  sequence number 0 left unanswered (see safeToResend). */
export const nackHistoryStats = { servedFromHistory: 0, refusedSeqZero: 0 };

/** werift's MaxROCDisorder (lib/rtp/src/srtp/context/context). */
const ROC_DISORDER = 100;

/**
 * Whether werift can encrypt packet `seq` again now that it has sent `lastSent`. werift's sender
 * runs its receive-side rollover guess on every packet it encrypts (SrtpContext.encryptRtp →
 * updateRolloverCount): sequence number 0 sent while the last one is above 100 counts as a
 * wrap, so its rollover counter goes up by one for good and the viewer can decrypt nothing
 * after it (RFC 3711 §3.3.1: the sender's index is simply the packet's). Any other sequence
 * number restores the counter on the next packet. So 0 is resent only within that window.
 */
export function safeToResend(seq: number, lastSent: number | undefined): boolean {
  if (seq !== 0 || lastSent === undefined) return true;
  return lastSent <= ROC_DISORDER;
}

/** Records the packet werift has just cached for sending (its rewritten sequence number). */
export function recordSent(sender: SenderInternals): void {
  const seq = sender.sequenceNumber;
  if (seq === undefined) return;
  const sent = sender.rtpCache[seq % WERIFT_HISTORY];
  if (!sent || sent.header.sequenceNumber !== seq) return;
  const history = (sender[HISTORY] ??= new Array<RtpPacket | undefined>(NACK_HISTORY));
  history[seq % NACK_HISTORY] = sent;
}

/** Puts each NACKed packet werift no longer holds back into werift's slot for it. */
export function refillForNack(sender: SenderInternals, lost: readonly number[]): void {
  const history = sender[HISTORY];
  if (!history) return;
  for (const seq of lost) {
    const slot = seq % WERIFT_HISTORY;
    if (sender.rtpCache[slot]?.header.sequenceNumber === seq) continue;
    const kept = history[seq % NACK_HISTORY];
    if (kept?.header.sequenceNumber !== seq) continue;
    sender.rtpCache[slot] = kept;
    nackHistoryStats.servedFromHistory++;
  }
}

export function installNackHistory(): void {
  const proto = RTCRtpSender.prototype as unknown as SenderInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  if (typeof proto.dispatchRtp !== "function" || typeof proto.handleRtcpPacket !== "function") {
    throw new Error("werift internals changed: review device-agent/src/werift/nack-history.ts");
  }
  const dispatchRtp = proto.dispatchRtp;
  proto.dispatchRtp = function (this: SenderInternals, rtp: unknown) {
    // werift clones, rewrites and caches the packet before its first await.
    const sending = dispatchRtp.call(this, rtp);
    recordSent(this);
    return sending;
  };
  const handleRtcpPacket = proto.handleRtcpPacket;
  proto.handleRtcpPacket = function (this: SenderInternals, packet) {
    const feedback = packet.feedback;
    if (packet.type === RTPFB && feedback?.count === GENERIC_NACK && feedback.lost) {
      // werift's own handler would resend 0 from its 128-packet cache too: drop it here.
      const lost = feedback.lost.filter((seq) => safeToResend(seq, this.sequenceNumber));
      nackHistoryStats.refusedSeqZero += feedback.lost.length - lost.length;
      feedback.lost = lost;
      refillForNack(this, lost);
    }
    return handleRtcpPacket.call(this, packet);
  };
  proto[MARK] = true;
}
