import { describe, expect, it } from "vitest";
import type { Datagram } from "../../test/drop-relay.ts";
import { connectThroughRelay } from "../../test/relay-pair.ts";
import { dtlsFlightTimerStats } from "./dtls-flight-timer.ts";

const ONE_WAY_MS = 25; // a 50 ms round trip through the relay
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms))]);

const toViewer = (d: Pick<Datagram, "dir">) => d.dir === "to-viewer";
const carries = (d: Pick<Datagram, "dtls">, handshake: number) => d.dtls?.some((r) => r.handshake === handshake) ?? false;

describe("the camera's DTLS handshake under loss (werift viewer through a drop relay, 50 ms RTT)", () => {
  it("resends flight 4 about two ICE round trips after a lost ServerHello, well before werift's 500 ms", async () => {
    let lost = false;
    const before = dtlsFlightTimerStats.flight4Resends;
    const pair = await connectThroughRelay({
      delayMs: ONE_WAY_MS,
      drop: (d) => (!lost && toViewer(d) && carries(d, 2) ? (lost = true) : false),
    });
    try {
      await within(pair.cameraConnected, 5000, "connected");
      const hellos = pair.relay.log.filter((d) => toViewer(d) && carries(d, 2));
      expect(hellos.map((d) => d.dropped)).toEqual([true, false]);
      const gap = hellos[1]!.at - hellos[0]!.at;
      expect(gap, "the resend waited at least one round trip").toBeGreaterThanOrEqual(2 * ONE_WAY_MS);
      expect(gap, "the resend came from the RTT timer, not the 500 ms ladder").toBeLessThan(400);
      expect(dtlsFlightTimerStats.flight4Resends).toBeGreaterThan(before);
    } finally {
      await pair.close();
    }
  });
});
