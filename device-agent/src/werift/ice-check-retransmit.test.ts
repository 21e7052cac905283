// werift's own connectivity-check retransmission, measured and kept: a lost check or response
// costs one retransmission 50 ms later (werift's RETRY_RTO, doubling), less than one round trip
// on most paths. RFC 8445 §14.3 would allow an RTO of max(500 ms, N × Ta) — slower on a lossy
// link — so Porthole relies on werift's shorter value and this test notices if an upgrade
// changes it. Pacing is unaffected: new checks still go out one per Ta (RFC 8445 §6.1.4.2).
import { describe, expect, it } from "vitest";
import { RETRY_RTO } from "werift";
import { connectThroughRelay } from "../../test/relay-pair.ts";

describe("the camera's connectivity checks under loss (werift viewer through a drop relay)", () => {
  it("resends a check whose response was lost one 50 ms RTO later, with the same transaction", async () => {
    const delayMs = 10;
    // A viewer check reaching the camera makes it resend its pending check at once
    // (triggered-check.ts): such a resend is not the timer's. A viewer check that arrived at the
    // relay within this window before a send may have been delivered just before it (the relay's
    // delay timer can run late on a loaded machine).
    const slackMs = 20;
    const requests = new Map<string, number>();
    const viewerChecks: number[] = [];
    let lostTx: string | undefined;
    let previousSend = 0;
    let timerResend: { at: number; gap: number } | undefined;
    const pair = await connectThroughRelay({
      delayMs,
      drop: (d) => {
        if (d.kind !== "stun" || !d.stunTx) return false;
        // The camera's Binding request (0x0001) and the viewer's success response (0x0101).
        if (d.dir === "to-viewer" && d.stunType === 0x0001 && d.stunTx === lostTx && !timerResend) {
          const triggered = viewerChecks.some((at) => at > previousSend - delayMs - slackMs && at <= d.at - delayMs);
          if (!triggered) timerResend = { at: d.at, gap: d.at - previousSend };
          previousSend = d.at;
        }
        if (d.dir === "to-viewer" && d.stunType === 0x0001 && !requests.has(d.stunTx)) requests.set(d.stunTx, d.at);
        if (lostTx === undefined && d.dir === "to-camera" && d.stunType === 0x0101 && requests.has(d.stunTx)) {
          lostTx = d.stunTx;
          previousSend = requests.get(d.stunTx)!;
          return true;
        }
        if (lostTx !== undefined && !timerResend) {
          // Until the timer resent it, every answer to it is lost too (a triggered resend's
          // included), and the viewer's own checks are held back: this test measures werift's
          // timer, the repair when no check from the viewer comes.
          if (d.dir === "to-camera" && d.stunType === 0x0101 && d.stunTx === lostTx) return true;
          if (d.dir === "to-camera" && d.stunType === 0x0001) return true;
        }
        if (d.dir === "to-camera" && d.stunType === 0x0001) viewerChecks.push(d.at);
        return false;
      },
    });
    try {
      await Promise.race([pair.cameraConnected, new Promise((_, no) => setTimeout(() => no(new Error("not connected")), 5000))]);
      expect(RETRY_RTO).toBe(50);
      expect(timerResend, "the camera resent the check on its own timer").toBeDefined();
      expect(timerResend!.gap).toBeGreaterThanOrEqual(RETRY_RTO - 5);
      expect(timerResend!.gap).toBeLessThan(RETRY_RTO + 150);
      const answered = pair.relay.log.some((d) => d.dir === "to-camera" && d.stunType === 0x0101 && d.stunTx === lostTx && !d.dropped);
      expect(answered, "the retransmitted check was answered").toBe(true);
    } finally {
      await pair.close();
    }
  });
});
