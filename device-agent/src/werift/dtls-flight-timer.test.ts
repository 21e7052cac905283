import { describe, expect, it, vi } from "vitest";
import type { Datagram } from "../../test/drop-relay.ts";
import { connectThroughRelay } from "../../test/relay-pair.ts";
import { dtlsFlightTimerStats, resendFlight4OnTimer } from "./dtls-flight-timer.ts";

const ONE_WAY_MS = 10; // a 20 ms round trip through the relay
/** Timer slack on a busy 2-core machine (the window the resend must fall in, after its timeout). */
const SLACK_MS = 200;
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms))]);

const toViewer = (d: Pick<Datagram, "dir">) => d.dir === "to-viewer";
const carries = (d: Pick<Datagram, "dtls">, handshake: number) => d.dtls?.some((r) => r.handshake === handshake) ?? false;

describe("the camera's DTLS handshake under loss (werift viewer through a drop relay, 20 ms RTT)", () => {
  it("resends flight 4 by its ICE-RTT timeout after a lost ServerHello", async () => {
    let lost = false;
    const pair = await connectThroughRelay({
      delayMs: ONE_WAY_MS,
      drop: (d) => (!lost && toViewer(d) && carries(d, 2) ? (lost = true) : false),
    });
    try {
      await within(pair.cameraConnected, 5000, "connected");
      const hellos = pair.relay.log.filter((d) => toViewer(d) && carries(d, 2));
      // The first was lost, the next delivered (a later copy may follow on a loaded machine).
      expect(hellos.slice(0, 2).map((d) => d.dropped)).toEqual([true, false]);
      const gap = hellos[1]!.at - hellos[0]!.at;
      // The timer's timeout came from the ICE round trip (on a loaded machine ICE may measure
      // more than the relay's 20 ms); the resend came no later than that timeout — and no sooner
      // than werift's own 500 ms ladder or that timeout, whichever is first.
      const timeout = dtlsFlightTimerStats.lastInitialRtoMs;
      expect(timeout).toBeGreaterThanOrEqual(100);
      expect(gap, "the resend did not come before a timeout").toBeGreaterThanOrEqual(Math.min(timeout, 500) - 10);
      expect(gap, "the resend came by the RTT timer's timeout").toBeLessThan(timeout + SLACK_MS);
    } finally {
      await pair.close();
    }
  });
});

describe("the flight-4 timer (fake timers)", () => {
  function fakeServer() {
    const sent: Buffer[] = [];
    const server = {
      connected: false,
      dtls: { flight: 0, lastMessage: [] as Buffer[] },
      transport: { send: async (b: Buffer) => void sent.push(b) },
      onClose: { subscribe: (_fn: () => void) => ({}) },
    };
    return { server, sent };
  }

  it("resends flight 4 after its timeout, doubling, until flight 5 arrives", async () => {
    vi.useFakeTimers();
    try {
      const { server, sent } = fakeServer();
      resendFlight4OnTimer(server, 120);
      const flight4 = [Buffer.from("hello"), Buffer.from("done")];
      server.dtls.flight = 4;
      server.dtls.lastMessage = flight4;
      for (const b of flight4) await server.transport.send(b);
      expect(sent).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(119);
      expect(sent).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent).toHaveLength(4);
      await vi.advanceTimersByTimeAsync(239);
      expect(sent).toHaveLength(4);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent).toHaveLength(6);
      server.dtls.flight = 6; // flight 5 arrived: werift answers with flight 6
      await vi.advanceTimersByTimeAsync(10_000);
      expect(sent).toHaveLength(6);
    } finally {
      vi.useRealTimers();
    }
  });

  it("leaves the HelloVerifyRequest (flight 2) to the client's timer, as RFC 6347 §4.2.1 says", async () => {
    vi.useFakeTimers();
    try {
      const { server, sent } = fakeServer();
      resendFlight4OnTimer(server, 120);
      server.dtls.flight = 2;
      server.dtls.lastMessage = [];
      await server.transport.send(Buffer.from("verify"));
      await vi.advanceTimersByTimeAsync(5000);
      expect(sent).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
