import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataChannelMessageSchema } from "../../protocol/index.ts";
import { createDemoSource } from "../src/media/demo-source.ts";
import { createMediaHub, type MediaHub } from "../src/media/media-hub.ts";
import type { MediaSource } from "../src/media/source.ts";
import { h264PayloadStartsKeyframe } from "../src/rtp/h264-packetizer.ts";
import { vp8PayloadStartsKeyframe } from "../src/rtp/vp8-packetizer.ts";
import { connectLoopback, waitFor, type LoopbackPair } from "./loopback-viewer.ts";
import { createLogger } from "../src/log.ts";

let source: MediaSource;
let hub: MediaHub;

beforeAll(async () => {
  source = createDemoSource();
  hub = createMediaHub(source);
  await source.start();
  // Let the clip run past its first keyframe so a replay is needed (the next is 6 s away).
  await new Promise((r) => setTimeout(r, 1500));
});

afterAll(async () => {
  hub.close();
  await source.stop();
});

function payloadTypeOf(pair: LoopbackPair): string | undefined {
  const pt = pair.video[0]?.header.payloadType;
  const codec = pair.viewer.getTransceivers().find((t) => t.kind === "video")?.codecs.find((c) => c.payloadType === pt);
  return codec?.mimeType;
}

describe("a viewer connected peer-to-peer to the agent in process", () => {
  it("receives VP8 starting with a keyframe when it answers with VP8 only", async () => {
    const pair = await connectLoopback(hub, "VP8");
    try {
      await waitFor(() => pair.video.length > 20, 10_000, "video RTP");
      expect(pair.session.videoCodec).toBe("VP8");
      expect(payloadTypeOf(pair)?.toLowerCase()).toBe("video/vp8");
      // The replayed burst starts with the cached keyframe, not mid-GOP.
      expect(vp8PayloadStartsKeyframe(pair.video[0]!.payload)).toBe(true);
      expect(pair.firstVideoAt).toBeLessThan(10_000);
      await waitFor(() => pair.audio.length > 5, 5_000, "audio RTP");
    } finally {
      await pair.close();
    }
  });

  it("receives H.264 starting with SPS/IDR when it answers with H.264 only", async () => {
    const pair = await connectLoopback(hub, "H264");
    try {
      await waitFor(() => pair.video.length > 20, 10_000, "video RTP");
      expect(pair.session.videoCodec).toBe("H264");
      expect(payloadTypeOf(pair)?.toLowerCase()).toBe("video/h264");
      const first = h264PayloadStartsKeyframe(pair.video[0]!.payload);
      expect(first.sps || first.idrStart).toBe(true);
    } finally {
      await pair.close();
    }
  });

  it("starts media right behind its DTLS's last flight, before the viewer's first data, and the viewer decrypts it from the keyframe on", async () => {
    const events: string[] = [];
    const logger = createLogger({ level: "info", sink: (line) => {
      const e = JSON.parse(line) as { event: string; mark?: string; state?: string };
      events.push(e.mark ?? (e.event === "session_state" ? `state: ${e.state}` : e.event));
    } });
    const pair = await connectLoopback(hub, "VP8", { logger });
    try {
      await waitFor(() => pair.video.length > 0 && events.includes("session_connected") && events.includes("viewer_dtls_done"), 10_000, "video, the viewer's first data and the connected state");
      expect(events.indexOf("dtls_connected")).toBeGreaterThanOrEqual(0);
      expect(events.indexOf("session_media")).toBeGreaterThan(events.indexOf("dtls_connected"));
      // A round trip earlier than the proof that the viewer is done, and earlier than werift's
      // "connected" (SCTP up)…
      expect(events.indexOf("session_media")).toBeLessThan(events.indexOf("viewer_dtls_done"));
      expect(events.indexOf("session_media")).toBeLessThan(events.indexOf("session_connected"));
      // …and nothing was lost for it: the viewer's first video packet starts the keyframe, and
      // the start replay was not sent again.
      expect(vp8PayloadStartsKeyframe(pair.video[0]!.payload)).toBe(true);
      expect(events.filter((e) => e.includes("start replay sent again"))).toEqual([]);
    } finally {
      await pair.close();
    }
  });

  it("sends sequence numbers without gaps through the replay-to-live switch", async () => {
    const pair = await connectLoopback(hub, "both");
    try {
      await waitFor(() => pair.video.length > 200, 15_000, "200 video packets");
      const seqs = pair.video.slice(0, 200).map((p) => p.header.sequenceNumber);
      const sorted = [...new Set(seqs)].sort((a, b) => a - b);
      // Loopback may reorder but should not lose; allow the 16-bit wrap.
      const span = (sorted.at(-1)! - sorted[0]! + 0x10000) % 0x10000;
      if (span < 1000) expect(span).toBe(sorted.length - 1);
    } finally {
      await pair.close();
    }
  });

  it("answers hello and ping on the control channel and survives a malformed message", async () => {
    const pair = await connectLoopback(hub, "both");
    try {
      const dc = await pair.channel;
      await waitFor(() => dc.readyState === "open", 10_000, "data channel open");
      const replies: unknown[] = [];
      dc.onMessage.subscribe((m) => replies.push(JSON.parse(m.toString())));
      dc.send(JSON.stringify({ type: "hello", v: 1 }));
      dc.send("{not json");
      dc.send(JSON.stringify({ type: "reboot" }));
      dc.send(JSON.stringify({ type: "ping", id: 7, t: 1234.5 }));
      await waitFor(() => replies.length >= 4, 5_000, "4 replies");
      const parsed = replies.map((r) => DataChannelMessageSchema.parse(r));
      expect(parsed[0]).toEqual({ type: "hello", v: 1, device: { serial: "CAM-TEST", name: "Test cam", source: "demo" } });
      expect(parsed[1]).toMatchObject({ type: "error", code: "malformed_message" });
      expect(parsed[2]).toMatchObject({ type: "error", code: "malformed_message" });
      expect(parsed[3]).toEqual({ type: "pong", id: 7, t: 1234.5 });
      expect(pair.session.closed).toBe(false);
      expect(pair.ended).toEqual([]);
    } finally {
      await pair.close();
    }
  });

  it("keeps one session streaming when another closes", async () => {
    const a = await connectLoopback(hub, "VP8");
    const b = await connectLoopback(hub, "H264");
    try {
      await waitFor(() => a.video.length > 10 && b.video.length > 10, 10_000, "both sessions streaming");
      await a.close();
      const before = b.video.length;
      await waitFor(() => b.video.length > before + 20, 5_000, "b to keep streaming");
      expect(b.session.closed).toBe(false);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("restarts ICE on request with new credentials and keeps streaming on the same session", async () => {
    const pair = await connectLoopback(hub, "both");
    try {
      await waitFor(() => pair.video.length > 20, 10_000, "video RTP");
      const ufrag = (sdp: string) => /a=ice-ufrag:(\S+)/.exec(sdp)?.[1];
      await pair.session.restartIce();
      await waitFor(() => pair.offers.length === 2, 5_000, "the restart offer");
      expect(ufrag(pair.offers[1]!)).not.toBe(ufrag(pair.offers[0]!));
      await waitFor(() => pair.session.pc.signalingState === "stable" && ["connected", "completed"].includes(pair.session.pc.iceConnectionState), 10_000, "ICE connected again");
      const before = pair.video.length;
      await waitFor(() => pair.video.length > before + 50, 10_000, "video after the restart");
      expect(pair.ended).toEqual([]);
      // A second restart works too (the nominated pair was cleared by the first).
      await pair.session.restartIce();
      await waitFor(() => pair.offers.length === 3, 5_000, "the second restart offer");
      const before2 = pair.video.length;
      await waitFor(() => pair.video.length > before2 + 50, 10_000, "video after the second restart");
      expect(pair.ended).toEqual([]);
    } finally {
      await pair.close();
    }
  });
});
