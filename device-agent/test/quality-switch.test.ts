// A viewer (werift, in process) switches its own session to HD over the control channel: the
// reply and the stream.quality event arrive, the next video packets are HD, and at the receiver
// the RTP stream stays one stream — sequence numbers without a gap, timestamps never going back —
// although SD and HD come from separate encoders with unrelated timestamp bases.
import { afterEach, describe, expect, it } from "vitest";
import { createCameraControls } from "../src/controls/camera-controls.ts";
import { streamFeature } from "../src/controls/stream/stream-feature.ts";
import { silentLogger } from "../src/log.ts";
import { createMediaHub } from "../src/media/media-hub.ts";
import { fakeSource } from "./fake-source.ts";
import { connectLoopback, waitFor } from "./loopback-viewer.ts";

const timers: NodeJS.Timeout[] = [];
afterEach(() => timers.splice(0).forEach(clearInterval));

describe("stream.quality over the data channel", () => {
  it("moves the session to HD at HD's keyframe with one continuous RTP stream at the viewer", async () => {
    const { source, emit } = fakeSource(["sd", "hd"]);
    const hub = createMediaHub(source);
    // Two encoders: SD from 1e6, HD from 5000 (90 kHz, 15 fps), keyframes every 10 frames.
    let n = 0;
    timers.push(
      setInterval(() => {
        n++;
        const key = n % 10 === 1;
        emit({ timestamp: 1_000_000 + n * 6000, timeline: 1, keyframeStart: key, payload: Buffer.from([0x65, 0x01]) });
        emit({ timestamp: 5000 + n * 6000, timeline: 2, quality: "hd", keyframeStart: key, payload: Buffer.from([0x65, 0x02]) });
      }, 66),
    );
    const controls = createCameraControls([streamFeature(hub)], silentLogger);
    const pair = await connectLoopback(hub, "H264", { controls, role: "code" });
    try {
      const dc = await pair.channel;
      await waitFor(() => pair.video.length > 5, 10_000, "SD video");
      const messages: { type: string; id?: number; ok?: boolean; event?: string; result?: { quality: string; profile: { width: number } } }[] = [];
      dc.onMessage.subscribe((m) => messages.push(JSON.parse(m.toString())));
      dc.send(JSON.stringify({ type: "req", id: 1, method: "stream.quality", params: { quality: "hd" } }));
      await waitFor(() => messages.some((m) => m.type === "res" && m.id === 1), 10_000, "the reply");
      const res = messages.find((m) => m.type === "res" && m.id === 1)!;
      expect(res).toMatchObject({ ok: true, result: { quality: "hd", profile: { width: 1280 } } });
      expect(messages.some((m) => m.type === "event" && m.event === "stream.quality")).toBe(true);
      const switchedAt = pair.video.length;
      await waitFor(() => pair.video.length > switchedAt + 5, 10_000, "HD video");

      const v = pair.video;
      const firstHd = v.findIndex((p) => p.payload[1] === 0x02);
      expect(firstHd).toBeGreaterThan(0);
      expect(v.slice(firstHd).every((p) => p.payload[1] === 0x02)).toBe(true);
      for (let i = 1; i < v.length; i++) {
        expect((v[i]!.header.sequenceNumber - v[i - 1]!.header.sequenceNumber + 0x10000) % 0x10000).toBe(1);
        const dt = (v[i]!.header.timestamp - v[i - 1]!.header.timestamp + 2 ** 32) % 2 ** 32;
        expect(dt).toBeLessThan(90_000); // forward, by less than a second
      }
      expect(hub.subscribers("H264", "sd")).toBe(0);
      expect(hub.subscribers("H264", "hd")).toBe(1);
    } finally {
      await pair.close();
      hub.close();
    }
  });
});
