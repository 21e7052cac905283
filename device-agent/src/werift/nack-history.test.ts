import { describe, expect, it } from "vitest";
import { RtpHeader, RtpPacket } from "werift";
import { connectThroughRelay } from "../../test/relay-pair.ts";
import { NACK_HISTORY, nackHistoryStats, recordSent, refillForNack, safeToResend } from "./nack-history.ts";

const packet = (seq: number) => new RtpPacket(new RtpHeader({ sequenceNumber: seq, payloadType: 96, ssrc: 1, timestamp: seq }), Buffer.from([seq & 0xff]));

/** The fields of werift's RTCRtpSender the history reads: its 128-slot cache and last sequence number. */
function fakeSender() {
  const sender = { sequenceNumber: undefined as number | undefined, rtpCache: [] as (RtpPacket | undefined)[] };
  const send = (seq: number) => {
    sender.sequenceNumber = seq;
    sender.rtpCache[seq % 128] = packet(seq);
    recordSent(sender as never);
  };
  return { sender, send };
}

describe("the camera's longer NACK history", () => {
  it("gives werift back a packet its 128-slot cache has overwritten", () => {
    const { sender, send } = fakeSender();
    for (let seq = 1000; seq < 1300; seq++) send(seq);
    expect(sender.rtpCache[1010 % 128]?.header.sequenceNumber).toBe(1266); // werift's slot moved on
    refillForNack(sender as never, [1010]);
    expect(sender.rtpCache[1010 % 128]?.header.sequenceNumber).toBe(1010);
  });

  it("keeps sequence numbers across the 16-bit wrap apart", () => {
    const { sender, send } = fakeSender();
    for (let i = 0; i < 200; i++) send((65_500 + i) % 65_536);
    refillForNack(sender as never, [65_510, 20]);
    expect(sender.rtpCache[65_510 % 128]?.header.sequenceNumber).toBe(65_510);
    expect(sender.rtpCache[20 % 128]?.header.sequenceNumber).toBe(20);
  });

  it("answers nothing for a packet older than its own history", () => {
    const { sender, send } = fakeSender();
    for (let seq = 0; seq < NACK_HISTORY + 200; seq++) send(seq);
    refillForNack(sender as never, [5]);
    expect(sender.rtpCache[5 % 128]?.header.sequenceNumber).not.toBe(5);
  });

  it("never resends sequence number 0 once werift's sender would take it for a wrap (RFC 3711 §3.3.1)", () => {
    expect(safeToResend(0, 100)).toBe(true);
    expect(safeToResend(0, 101)).toBe(false);
    expect(safeToResend(0, 65_000)).toBe(false);
    expect(safeToResend(5, 400)).toBe(true);
    expect(safeToResend(65_530, 3)).toBe(true);
  });

  it("lets a werift viewer repair a packet lost early in a 400-packet burst (real NACK through a drop relay)", async () => {
    let rtp = 0;
    const before = nackHistoryStats.servedFromHistory;
    const pair = await connectThroughRelay({ delayMs: 25, drop: (d) => d.dir === "to-viewer" && d.kind === "rtp" && ++rtp === 5 });
    try {
      const received = pair.videoReceived;
      await Promise.race([pair.cameraConnected, new Promise((_, no) => setTimeout(() => no(new Error("not connected")), 5000))]);
      const sender = pair.camera.getTransceivers()[0]!.sender;
      // A GOP replay: 400 packets at once, as the session sends at start and on PLI.
      for (let i = 1000; i < 1400; i++) await sender.sendRtp(packet(i));
      await new Promise((r) => setTimeout(r, 200));
      const lost = pair.relay.log.find((d) => d.dropped)!;
      expect(lost.rtpSeq).toBeDefined();
      const deadline = Date.now() + 3000;
      while (!received.has(lost.rtpSeq!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(received.has(lost.rtpSeq!), `packet ${lost.rtpSeq} repaired`).toBe(true);
      expect(nackHistoryStats.servedFromHistory).toBeGreaterThan(before);
    } finally {
      await pair.close();
    }
  });
});
