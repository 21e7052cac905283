// RTP → Ogg timing: a recording lasts as long as the talk, whatever the network did to the packets.
import { describe, expect, it } from "vitest";
import { createOpusRtpTimeline, fillerPacket } from "./opus-rtp-timeline.ts";

const MONO_20MS = 0xf8; // CELT FB 20 ms, mono, one frame
const STEREO_20MS = 0xfc;
const rtp = (sequence: number, timestamp: number, toc = MONO_20MS) => ({ sequence, timestamp, payload: Uint8Array.of(toc, 1, 2, 3) });

describe("Opus RTP timeline", () => {
  it("passes packets in order through with their 20 ms duration", () => {
    const t = createOpusRtpTimeline();
    expect(t.accept(rtp(1, 1000)).map((p) => p.samples)).toEqual([960]);
    expect(t.accept(rtp(2, 1960)).map((p) => p.samples)).toEqual([960]);
    expect(t.channels).toBe(1);
  });

  it("fills a gap of lost packets with concealment frames so the duration stays right", () => {
    const t = createOpusRtpTimeline();
    t.accept(rtp(1, 0));
    const out = t.accept(rtp(5, 4 * 960)); // packets 2–4 lost
    expect(out.map((p) => p.samples)).toEqual([960, 960, 960, 960]);
    expect(out.slice(0, 3).every((p) => p.packet.byteLength === 1 && p.packet[0] === fillerPacket(false)[0])).toBe(true);
  });

  it("drops late and duplicate packets", () => {
    const t = createOpusRtpTimeline();
    t.accept(rtp(1, 0));
    t.accept(rtp(3, 1920));
    expect(t.accept(rtp(2, 960))).toEqual([]);
    expect(t.accept(rtp(3, 1920))).toEqual([]);
  });

  it("follows the timestamp across its 32-bit wrap", () => {
    const t = createOpusRtpTimeline();
    t.accept(rtp(1, 2 ** 32 - 960));
    expect(t.accept(rtp(2, 0)).map((p) => p.samples)).toEqual([960]);
  });

  it("starts over without filling after a jump of more than 10 s (the sender restarted)", () => {
    const t = createOpusRtpTimeline();
    t.accept(rtp(1, 0));
    expect(t.accept(rtp(2, 48_000 * 60))).toHaveLength(1);
  });

  it("reads the channel count from the first packet and ignores empty payloads", () => {
    const t = createOpusRtpTimeline();
    expect(t.accept({ sequence: 1, timestamp: 0, payload: new Uint8Array(0) })).toEqual([]);
    expect(t.channels).toBeNull();
    t.accept(rtp(2, 0, STEREO_20MS));
    expect(t.channels).toBe(2);
    expect(t.accept(rtp(4, 1920, STEREO_20MS))[0]!.packet[0]).toBe(fillerPacket(true)[0]);
  });
});
