// Why: when the camera's media may start. It is the DTLS server (RFC 5763 §5: the offerer is
// "actpass", browsers answer "active"), so its handshake is done when it sends its last flight
// (ChangeCipherSpec + Finished, RFC 6347 §4.2.4), half a round trip before the viewer's is.
// SRTP sent right behind that flight arrives behind it on the same path, and browsers take
// their SRTP keys as they process the Finished, so the first packets are decrypted. Waiting for
// proof that the viewer is done (its first application data, one round trip later) cost that
// round trip on every session. If the last flight is lost the viewer drops what follows until
// the flight is retransmitted: then its first application data comes late, and the start
// replay (the keyframe) is sent again.

/** How late, after media started, the viewer's first application data shows a lost last flight. */
export function viewerDoneLateMs(rttMs: number | undefined): number {
  const rtt = rttMs !== undefined && Number.isFinite(rttMs) && rttMs > 0 ? rttMs : 200;
  // One round trip for the flight out and the data back, plus the browser's own work.
  return Math.round(1.5 * rtt + 30);
}

/** Whether media that started `msSinceMediaStart` before the viewer's first data must resend its keyframe. */
export function startReplayMissed(msSinceMediaStart: number, rttMs: number | undefined): boolean {
  return msSinceMediaStart > viewerDoneLateMs(rttMs);
}
