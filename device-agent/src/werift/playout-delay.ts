// Why: on a lossy long path the camera repairs every lost video packet by NACK (RFC 4585), but
// a repair takes at least one round trip, and Chromium plays a frame as soon as it is complete:
// with 150 ms RTT and 2 % loss, 30 s of video froze 16–24 times (4.8–8.8 s frozen) although
// nearly every packet was repaired. The playout-delay RTP header extension
// (http://www.webrtc.org/experiments/rtp-hdrext/playout-delay, which Chromium implements) lets the
// sender set the receiver's minimum playout delay. Once the viewer has NACKed (the path loses
// packets), each video packet asks for a minimum delay of one repair — a round trip, plus the
// frame interval it takes the viewer to notice that a frame's last packet is missing, plus a
// margin — and nothing while the path is clean, so a LAN viewer keeps its low latency and the
// first frame is never held. (It only buys anything because the session's start replay no
// longer teaches the browser a wrong clock rate: track-feed.ts replayWriter.)
import { RTCDtlsTransport, RTCRtpHeaderExtensionParameters, RTCRtpSender } from "werift";
import { iceRttSeconds } from "./handshake-rto.ts";

export const PLAYOUT_DELAY_URI = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
/** How long after the viewer's last NACK the path still counts as lossy. */
export const LOSSY_FOR_MS = 10_000;
/** The most minimum delay asked for (a very long path relies on the browser's own estimate). */
export const MIN_DELAY_CEILING_MS = 600;
/**
 * The maximum sent with it, above the minimum: it bounds how far the browser's own estimate may
 * take the delay after a cut (a NAT-lab flap run once froze the picture for good after 18 cuts
 * with 2 s allowed; the cause is not known, so the room is kept small).
 */
export const MAX_ABOVE_MIN_MS = 400;
/**
 * Only a long path is asked: below this round trip a repair costs less than a frame interval or
 * two and Chromium's own jitter estimate covers it (bench/loss.ts at 0 ms + 2 %: no freezes
 * without the extension once the start replay was fixed). An unknown round trip asks nothing.
 */
export const LONG_PATH_RTT_MS = 50;
/**
 * What a repair needs beyond the round trip: a lost last packet of a frame shows only when the
 * next frame arrives (67 ms at the camera's slowest 15 fps), then ~50 ms for decoding and jitter.
 * Measured in bench/loss.ts at 150 ms RTT: a repair lands 152 ms after the loss, or 218 ms for a
 * frame's last packet.
 */
export const REPAIR_MARGIN_MS = 120;

/** The header extension to offer on video m-lines (put it in the peer connection's config). */
export function playoutDelayHeaderExtension(id = 12): RTCRtpHeaderExtensionParameters {
  return new RTCRtpHeaderExtensionParameters({ id, uri: PLAYOUT_DELAY_URI });
}

/** The extension's 3 bytes: 12-bit minimum and maximum delay in 10 ms units. */
export function playoutDelayPayload(minMs: number, maxMs: number): Buffer {
  const unit = (ms: number) => Math.max(0, Math.min(0xfff, Math.round(ms / 10)));
  const min = unit(minMs);
  const max = Math.max(min, unit(maxMs));
  return Buffer.from([min >> 4, ((min & 0xf) << 4) | (max >> 8), max & 0xff]);
}

/**
 * The minimum playout delay to ask for: none (undefined) unless the viewer NACKed within
 * LOSSY_FOR_MS on a path of a known round trip of at least LONG_PATH_RTT_MS; then
 * RTT + REPAIR_MARGIN_MS, at most MIN_DELAY_CEILING_MS. RTT in seconds (werift's unit).
 */
export function minPlayoutDelayMs(o: { rttSeconds: number | undefined; msSinceLastNack: number }): number | undefined {
  if (!(o.msSinceLastNack <= LOSSY_FOR_MS)) return undefined;
  if (o.rttSeconds === undefined || !Number.isFinite(o.rttSeconds)) return undefined;
  const rttMs = o.rttSeconds * 1000;
  if (rttMs < LONG_PATH_RTT_MS) return undefined;
  return Math.round(Math.min(MIN_DELAY_CEILING_MS, rttMs + REPAIR_MARGIN_MS));
}

interface SenderInternals {
  ssrc: number;
  headerExtensions: { id: number; uri: string }[];
  dtlsTransport: { iceTransport?: { connection?: unknown } } | undefined;
  handleRtcpPacket(packet: { type: number; feedback?: { count?: number } }): void;
  dispatchRtp(rtp: unknown): Promise<void>;
  [LAST_NACK]?: number;
  [ASKED]?: { min: number; ext: { id: number; payload: Buffer } };
}
interface RtpHeaderLike {
  ssrc: number;
  extensions: { id: number; payload: Buffer }[];
}

const LAST_NACK = Symbol("porthole.playout-delay.last-nack");
/** What this sender asks for now: rebuilt only when the minimum changes, not per packet. */
const ASKED = Symbol("porthole.playout-delay.asked");
const MARK = Symbol.for("porthole.playout-delay");
/** Per DTLS transport, per SSRC: the extension every packet of that stream carries now. */
const active = new WeakMap<object, Map<number, { id: number; payload: Buffer }>>();
const activeOn = (transport: object) => {
  let streams = active.get(transport);
  if (!streams) active.set(transport, (streams = new Map()));
  return streams;
};

export function installPlayoutDelay(): void {
  const sender = RTCRtpSender.prototype as unknown as SenderInternals & { [MARK]?: true };
  const transport = RTCDtlsTransport.prototype as unknown as { sendRtp(payload: Buffer, header: RtpHeaderLike): Promise<number>; [MARK]?: true };
  if (sender[MARK]) return;
  if (typeof sender.handleRtcpPacket !== "function" || typeof sender.dispatchRtp !== "function" || typeof transport.sendRtp !== "function") {
    throw new Error("werift internals changed: review device-agent/src/werift/playout-delay.ts");
  }
  const handleRtcpPacket = sender.handleRtcpPacket;
  sender.handleRtcpPacket = function (this: SenderInternals, packet) {
    // RTPFB (205) generic NACK (FMT 1), RFC 4585 §6.2.1.
    if (packet.type === 205 && packet.feedback?.count === 1) this[LAST_NACK] = performance.now();
    return handleRtcpPacket.call(this, packet);
  };
  const dispatchRtp = sender.dispatchRtp;
  sender.dispatchRtp = function (this: SenderInternals, rtp: unknown) {
    // Nothing per packet until the viewer NACKs: a clean session pays one comparison.
    if (this[LAST_NACK] !== undefined && this.dtlsTransport) {
      const ext = this.headerExtensions?.find((e) => e.uri === PLAYOUT_DELAY_URI);
      const min = ext && minPlayoutDelayMs({ rttSeconds: iceRttSeconds(this.dtlsTransport.iceTransport?.connection), msSinceLastNack: performance.now() - this[LAST_NACK] });
      const asked = this[ASKED];
      if (min === undefined) {
        if (asked) activeOn(this.dtlsTransport).delete(this.ssrc);
        this[ASKED] = undefined;
      } else if (asked?.min !== min) {
        const entry = { min, ext: { id: ext!.id, payload: playoutDelayPayload(min, min + MAX_ABOVE_MIN_MS) } };
        this[ASKED] = entry;
        activeOn(this.dtlsTransport).set(this.ssrc, entry.ext);
      }
    }
    return dispatchRtp.call(this, rtp);
  };
  // The header here is werift's own copy (dispatchRtp clones the caller's packet), so adding to it
  // never touches a packet another viewer's sender also sends.
  const sendRtp = transport.sendRtp;
  transport.sendRtp = function (this: object, payload: Buffer, header: RtpHeaderLike) {
    const ext = active.get(this)?.get(header.ssrc);
    if (ext && !header.extensions.some((e) => e.id === ext.id)) header.extensions = [...header.extensions, ext].sort((a, b) => a.id - b.id);
    return sendRtp.call(this, payload, header);
  };
  sender[MARK] = true;
  transport[MARK] = true;
}
