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
    const requests = new Map<string, number>();
    let lostTx: string | undefined;
    let resent = false;
    const pair = await connectThroughRelay({
      delayMs: 10,
      drop: (d) => {
        if (d.kind !== "stun" || !d.stunTx) return false;
        // The camera's Binding request (0x0001) and the viewer's success response (0x0101).
        if (d.dir === "to-viewer" && d.stunType === 0x0001 && d.stunTx === lostTx) resent = true;
        if (d.dir === "to-viewer" && d.stunType === 0x0001 && !requests.has(d.stunTx)) requests.set(d.stunTx, d.at);
        if (lostTx === undefined && d.dir === "to-camera" && d.stunType === 0x0101 && requests.has(d.stunTx)) return Boolean((lostTx = d.stunTx));
        // Until the camera sent it again, the viewer's own checks are held back: one arriving
        // would make the camera resend at once (triggered-check.ts), and this test measures
        // werift's timer, the repair when no check from the viewer comes.
        if (lostTx !== undefined && !resent && d.dir === "to-camera" && d.stunType === 0x0001) return true;
        return false;
      },
    });
    try {
      await Promise.race([pair.cameraConnected, new Promise((_, no) => setTimeout(() => no(new Error("not connected")), 5000))]);
      expect(RETRY_RTO).toBe(50);
      const sends = pair.relay.log.filter((d) => d.dir === "to-viewer" && d.stunType === 0x0001 && d.stunTx === lostTx);
      expect(sends.length).toBeGreaterThanOrEqual(2);
      const gap = sends[1]!.at - sends[0]!.at;
      expect(gap).toBeGreaterThanOrEqual(RETRY_RTO - 5);
      expect(gap).toBeLessThan(RETRY_RTO + 150);
      const answered = pair.relay.log.some((d) => d.dir === "to-camera" && d.stunType === 0x0101 && d.stunTx === lostTx && !d.dropped);
      expect(answered, "the retransmitted check was answered").toBe(true);
    } finally {
      await pair.close();
    }
  });
});
