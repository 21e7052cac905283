// The processed pipeline on real ffmpeg (Debian's 5.1 with libzmq): runtime crop commands reach
// the filter graph without a restart, HD is encoded only while watched (and only the codec
// watched), and a mirror change restarts the encoder on a new RTP timeline.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { defaultSettings } from "../src/controls/settings/settings-store.ts";
import { silentLogger } from "../src/log.ts";
import { ffmpegAvailable } from "../src/media/ffmpeg-source.ts";
import { createFilterCommandClient } from "../src/media/filter-command-client.ts";
import { createMediaHub } from "../src/media/media-hub.ts";
import type { MediaPacket } from "../src/media/packet.ts";
import { createProcessedSource } from "../src/media/processed-source.ts";
import type { MediaSource } from "../src/media/source.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

beforeAll(() => {
  if (!ffmpegAvailable()) throw new Error("these tests need ffmpeg (Debian package `ffmpeg`)");
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

function small(): MediaSource {
  const src = createProcessedSource({ input: { kind: "testsrc" }, logger: silentLogger, description: "testsrc", audio: false, idleStopMs: 300 });
  const s = defaultSettings("t");
  src.applySettings?.({ ...s, quality: { sd: { width: 320, height: 180, fps: 10, bitrateKbps: 200 }, hd: { width: 640, height: 360, fps: 10, bitrateKbps: 400 } } });
  cleanups.push(() => src.stop());
  return src;
}

describe("processed ffmpeg pipeline", () => {
  it("applies crop commands through ffmpeg's zmq filter while it runs, and reports a refused one", async () => {
    const port = await freePort();
    const graph = `zmq=b=tcp\\\\\\://127.0.0.1\\\\\\:${port},crop@ptz=w=320:h=180:x=0:y=0`;
    const proc = spawn("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=10", "-vf", graph, "-f", "null", "-"], { stdio: "ignore" });
    cleanups.push(() => proc.kill("SIGKILL"));
    const errors: string[] = [];
    const client = createFilterCommandClient(port, (m) => errors.push(m));
    cleanups.push(() => client.close());
    await until(() => client.connected, 10_000, "the zmq filter");
    for (let i = 1; i <= 20; i++) {
      client.send("crop@ptz", "x", String(i * 8));
      client.send("crop@ptz", "w", String(320 - i * 4));
      await sleep(30);
    }
    await until(() => client.replies >= 20, 10_000, "command replies");
    expect(errors).toEqual([]);
    client.send("nosuch@filter", "x", "1");
    await until(() => errors.length > 0, 5_000, "a refusal");
    expect(errors[0]).toMatch(/filter command refused/);
    expect(proc.exitCode).toBeNull(); // never restarted
  });

  it("encodes SD always and HD only while watched, in the watched codec only", async () => {
    const src = small();
    const hub = createMediaHub(src);
    const seen: MediaPacket[] = [];
    src.onPacket((p) => seen.push(p));
    await src.start();
    await until(() => seen.some((p) => p.quality === "sd" && p.codec === "H264" && p.keyframeStart), 15_000, "SD H.264");
    expect(seen.some((p) => p.quality === "hd")).toBe(false);
    const sub = hub.subscribe("H264", () => {}, { quality: "hd" });
    await until(() => seen.some((p) => p.quality === "hd" && p.codec === "H264" && p.keyframeStart), 15_000, "HD H.264");
    expect(seen.some((p) => p.quality === "hd" && p.codec === "VP8")).toBe(false);
    sub.unsubscribe();
    await sleep(1500); // idleStopMs 300 + ffmpeg exit
    const mark = seen.length;
    await sleep(800);
    expect(seen.slice(mark).some((p) => p.quality === "hd")).toBe(false);
    expect(seen.slice(mark).some((p) => p.quality === "sd")).toBe(true);
  });

  it("restarts the encoder on a new RTP timeline when mirror changes, starting with a keyframe", async () => {
    const src = small();
    const seen: MediaPacket[] = [];
    src.onPacket((p) => seen.push(p));
    await src.start();
    await until(() => seen.length > 20, 15_000, "SD packets");
    const first = seen[0]!.timeline;
    const s = defaultSettings("t");
    src.applySettings?.({ ...s, image: { ...s.image, mirror: true }, quality: { sd: { width: 320, height: 180, fps: 10, bitrateKbps: 200 }, hd: s.quality.hd } });
    await until(() => seen.some((p) => p.timeline !== first && p.codec === "H264"), 15_000, "the restarted encoder");
    const firstNew = seen.find((p) => p.timeline !== first && p.codec === "H264")!;
    expect(firstNew.keyframeStart).toBe(true);
  });
});
