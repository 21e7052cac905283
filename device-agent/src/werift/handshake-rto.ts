// Why: a handshake message lost on the wire should cost about one round trip, not a fixed
// protocol default (DTLS: 1 s, RFC 6347 §4.2.4.1; SCTP T1-init: RTO.Initial = 3 s, RFC 9260
// §16). By the time DTLS and SCTP start, ICE has measured the path's round trip with its checks
// (RFC 8445 §7.2.5.3.1), and RFC 9147 §5.8.2 lets an implementation start its timer from such an
// estimate. This is the one rule both retransmission patches use.

/** Never retransmit sooner than this: spurious copies are cheap, but not free on a slow link. */
export const HANDSHAKE_RTO_FLOOR_MS = 100;
/** Without an RTT estimate (or with an absurd one) fall back to RFC 6298's 1 s. */
export const HANDSHAKE_RTO_CEILING_MS = 1000;
/** RFC 9147 §5.8.2 / RFC 9260 §6.3.3: double on every expiry, up to at least 60 s. */
export const HANDSHAKE_RTO_MAX_MS = 60_000;

/**
 * The first retransmission timeout for a handshake flight, from the ICE round trip in seconds
 * (werift's CandidatePair.rtt): twice the RTT — the peer's answer plus the time it takes to make
 * it (a DTLS flight is signed, an SCTP INIT ACK is not) — kept within [floor, ceiling].
 */
export function initialHandshakeRtoMs(iceRttSeconds: number | undefined): number {
  if (iceRttSeconds === undefined || !Number.isFinite(iceRttSeconds) || iceRttSeconds <= 0) return HANDSHAKE_RTO_CEILING_MS;
  return Math.round(Math.min(HANDSHAKE_RTO_CEILING_MS, Math.max(HANDSHAKE_RTO_FLOOR_MS, 2 * iceRttSeconds * 1000)));
}

/** The timeout after one more expiry (exponential backoff). */
export function nextHandshakeRtoMs(currentMs: number): number {
  return Math.min(HANDSHAKE_RTO_MAX_MS, currentMs * 2);
}

/** The nominated pair's ICE round trip in seconds, read from a werift ICE Connection. */
export function iceRttSeconds(connection: unknown): number | undefined {
  const rtt = (connection as { nominated?: { rtt?: unknown } } | undefined)?.nominated?.rtt;
  return typeof rtt === "number" ? rtt : undefined;
}
