import { describe, expect, it } from "vitest";
import type { Datagram } from "../../test/drop-relay.ts";
import { connectThroughRelay } from "../../test/relay-pair.ts";
import type { RTCPeerConnection } from "werift";
import { sctpFastOpenStats, sctpInitialRtoMs } from "./sctp-fast-open.ts";

/** The camera's SCTP association (werift internal), for the timeout the patch gave it. */
const cameraSctp = (pc: RTCPeerConnection) => (pc as unknown as { sctpTransport: { sctp: object } }).sctpTransport.sctp;

const ONE_WAY_MS = 10; // a 20 ms round trip through the relay
/** Timer slack on a busy 2-core machine (the window the resend must fall in, after its timeout). */
const SLACK_MS = 200;
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms))]);
/** DTLS application data: SCTP once the handshake is done (RFC 8261). */
const isSctp = (d: Pick<Datagram, "dtls">) => d.dtls?.some((r) => r.content === 23) ?? false;

describe("the camera's data-channel association under loss (werift viewer through a drop relay, 20 ms RTT)", () => {
  it("resends a lost INIT about two ICE round trips later, not after SCTP's 3 s RTO.Initial", async () => {
    let lost = false;
    const before = sctpFastOpenStats.t1Retransmits;
    const pair = await connectThroughRelay({
      delayMs: ONE_WAY_MS,
      drop: (d) => (!lost && d.dir === "to-viewer" && isSctp(d) ? (lost = true) : false),
    });
    try {
      const channel = await within(pair.channel, 8000, "data channel open");
      expect(channel.readyState).toBe("open");
      const sctp = pair.relay.log.filter((d) => d.dir === "to-viewer" && isSctp(d));
      expect(sctp[0]!.dropped).toBe(true);
      const gap = sctp[1]!.at - sctp[0]!.at;
      // T1 came from the ICE round trip ICE measured (more than 20 ms on a loaded machine), not 3 s.
      const timeout = sctpInitialRtoMs(cameraSctp(pair.camera))!;
      expect(timeout).toBeGreaterThanOrEqual(100); // from the ICE RTT (100 ms–1 s), not 3 s
      expect(gap, "the resend waited its timeout").toBeGreaterThanOrEqual(timeout - 10);
      expect(gap, "T1 started from the ICE RTT, not 3 s").toBeLessThan(timeout + SLACK_MS);
      expect(sctpFastOpenStats.t1Retransmits).toBeGreaterThan(before);
    } finally {
      await pair.close();
    }
  });

  it("opens with no INIT resent when nothing is lost", async () => {
    const before = sctpFastOpenStats.t1Retransmits;
    const pair = await connectThroughRelay({ delayMs: ONE_WAY_MS, drop: () => false });
    try {
      await within(pair.channel, 5000, "data channel open");
      expect(sctpFastOpenStats.t1Retransmits).toBe(before);
    } finally {
      await pair.close();
    }
  });
});

describe("the camera's first data-channel message under loss (werift viewer through a drop relay, 20 ms RTT)", () => {
  it("resends a lost DCEP OPEN from the ICE round trip, not after SCTP's 3 s RTO.Initial", async () => {
    let sctpSent = 0;
    // The camera's third SCTP packet, after INIT and COOKIE ECHO: its DATA_CHANNEL_OPEN (RFC 8832).
    const pair = await connectThroughRelay({ delayMs: ONE_WAY_MS, drop: (d) => d.dir === "to-viewer" && isSctp(d) && ++sctpSent === 3 });
    try {
      await within(pair.channel, 8000, "data channel open");
      const sctp = pair.relay.log.filter((d) => d.dir === "to-viewer" && isSctp(d));
      expect(sctp[2]!.dropped).toBe(true);
      const gap = sctp[3]!.at - sctp[2]!.at;
      expect(gap, "T3 started from the ICE RTT, not 3 s").toBeLessThan(sctpInitialRtoMs(cameraSctp(pair.camera))! + SLACK_MS);
    } finally {
      await pair.close();
    }
  });
});
