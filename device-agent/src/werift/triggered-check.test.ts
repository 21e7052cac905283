// RFC 8445 §7.3.1.4: when the peer's check arrives on a pair whose own check is In-Progress, a
// triggered check goes out at once instead of waiting for the check's next retransmission. The
// mechanism on werift's real STUN transaction (StunProtocol.request), and the patch end to end
// on a werift camera and viewer through the drop relay.
import { describe, expect, it } from "vitest";
import { classes, Connection, Message, methods, StunProtocol } from "werift";
import { connectThroughRelay } from "../../test/relay-pair.ts";
import { pendingCheckOf, retransmitNow } from "./triggered-check.ts";

const BINDING_REQUEST = 0x0001;
const PEER: [string, number] = ["127.0.0.1", 9];

function pendingBinding() {
  const sends: number[] = [];
  const protocol = new StunProtocol() as unknown as { transport: unknown; transactions: Record<string, unknown>; request(m: Message, a: [string, number]): Promise<unknown>; close(): Promise<void> };
  // A transport that only records when werift sent: nothing answers.
  protocol.transport = { send: async () => void sends.push(performance.now()), addressFamily: 4, close: async () => {} };
  const t0 = performance.now();
  const since = () => Math.round(performance.now() - t0);
  protocol.request(new Message(methods.BINDING, classes.REQUEST), PEER).catch(() => {});
  const pair = { state: 2, protocol, remoteAddr: PEER } as unknown as Parameters<typeof pendingCheckOf>[0];
  return { sends: () => sends.map((t) => Math.round(t - t0)), since, pair, close: () => protocol.close() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a triggered check on an In-Progress pair", () => {
  it("finds the pair's waiting Binding request and sends it again at once, then backs off from werift's 50 ms RTO", async () => {
    const b = pendingBinding();
    try {
      // werift sends at 0, 50 and 150 ms, then waits 200 ms: the peer's check lands at ~170 ms.
      // (On a loaded machine the timers slip; each assertion is relative to what werift did.)
      await sleep(170);
      const pending = pendingCheckOf(b.pair);
      expect(pending, "the in-flight Binding request").toBeDefined();
      const before = b.sends().length;
      const lastBefore = b.sends().at(-1)!;
      const calledAt = b.since();
      expect(retransmitNow(pending!)).toBe(true);
      await sleep(5);
      expect(b.sends().length).toBe(before + 1);
      const resentAt = b.sends().at(-1)!;
      // At once — werift alone would wait twice its last gap after its last send.
      expect(resentAt - calledAt).toBeLessThan(30);
      expect(resentAt - lastBefore).toBeLessThan(200);
      await sleep(150);
      // The backoff restarted from werift's RTO: the next retransmission ~50 ms later, not 400.
      const next = b.sends()[before + 1];
      expect(next).toBeDefined();
      expect(next! - resentAt).toBeGreaterThanOrEqual(40);
      expect(next! - resentAt).toBeLessThan(140);
    } finally {
      await b.close();
    }
  });

  it("sends at most one triggered check per Ta (20 ms), so a chatty peer cannot make it flood", async () => {
    const b = pendingBinding();
    try {
      await sleep(70);
      const pending = pendingCheckOf(b.pair)!;
      expect(retransmitNow(pending)).toBe(true);
      expect(retransmitNow(pending)).toBe(false);
      await sleep(25);
      expect(retransmitNow(pendingCheckOf(b.pair)!)).toBe(true);
    } finally {
      await b.close();
    }
  });

  it("is installed on werift's Connection, and a camera whose first checks die at the viewer's NAT still connects", async () => {
    expect((Connection.prototype as unknown as Record<symbol, unknown>)[Symbol.for("porthole.triggered-check")]).toBeUndefined();
    let natOpen = false;
    const pair = await connectThroughRelay({
      delayMs: 5,
      // The viewer's NAT lets the camera's checks in only once the viewer has sent through it.
      drop: (d) => {
        if (d.kind !== "stun" || d.stunType !== BINDING_REQUEST) return false;
        if (d.dir === "to-camera") return !(natOpen = true);
        return !natOpen;
      },
    });
    try {
      expect((Connection.prototype as unknown as Record<symbol, unknown>)[Symbol.for("porthole.triggered-check")]).toBe(true);
      await Promise.race([pair.cameraConnected, new Promise((_, no) => setTimeout(() => no(new Error("not connected within 5 s")), 5000))]);
    } finally {
      await pair.close();
    }
  });
});
