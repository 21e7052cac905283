// Integration: the talk sinks on real parts — real Opus packets (the shipped demo clip's audio)
// sent as RTP, written by the file sink and read back by ffprobe, or piped to the host's ffmpeg.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../log.ts";
import { loadDemoClip } from "../../media/demo-source.ts";
import { ffmpegAvailable } from "../../media/ffmpeg-source.ts";
import { opusPacketSamples, parseOggOpus } from "../../media/ogg-opus-reader.ts";
import { alsaDeviceOpens, createFfmpegPipeSink } from "./ffmpeg-pipe-sink.ts";
import { burstFileName, createFileTalkSink } from "./file-sink.ts";
import type { TalkRtp } from "./opus-rtp-timeline.ts";
import type { TalkBurst } from "./talk-sink.ts";

beforeAll(() => {
  if (!ffmpegAvailable()) throw new Error('ffmpeg is not installed: these tests need the Debian package "ffmpeg" (ffprobe ships in it; npm test installs it when run as root).');
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), "porthole-talk-"));
  dirs.push(d);
  return d;
}

/** `seconds` of the demo clip's Opus as RTP, timestamps at 48 kHz from a random-ish base. */
function demoRtp(seconds: number, base = 123_456): TalkRtp[] {
  const opus = loadDemoClip().opus;
  const out: TalkRtp[] = [];
  let ts = base;
  for (let i = 0, total = 0; total < seconds * 48_000; i++) {
    const payload = opus[i % opus.length]!;
    out.push({ sequence: i, timestamp: ts >>> 0, payload });
    const n = opusPacketSamples(payload);
    ts += n;
    total += n;
  }
  return out;
}

function probe(file: string): { codec: string; duration: number } {
  const r = spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name:format=duration", "-of", "json", file], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout) as { streams: { codec_name: string }[]; format: { duration: string } };
  return { codec: j.streams[0]!.codec_name, duration: Number(j.format.duration) };
}

async function feed(burst: TalkBurst, packets: TalkRtp[]): Promise<void> {
  for (const p of packets) burst.write(p);
  await burst.end();
}

describe("file talk sink", () => {
  it("writes one Ogg Opus file per burst that ffprobe reads as Opus lasting the talk time", async () => {
    const dir = tempDir();
    const sink = createFileTalkSink({ path: path.join(dir, "talk.opus"), logger: silentLogger });
    const packets = demoRtp(2);
    await feed(sink.open({ sessionId: "s1", label: "alice", startedAt: Date.UTC(2026, 10, 26, 16, 17, 33, 123) }), packets);
    expect(readdirSync(dir)).toEqual(["talk-20261126T161733123Z.opus"]);
    const file = path.join(dir, "talk-20261126T161733123Z.opus");
    const { codec, duration } = probe(file);
    expect(codec).toBe("opus");
    expect(duration).toBeGreaterThan(1.9);
    expect(duration).toBeLessThan(2.1);
    // Every packet is there, byte for byte, in order.
    const parsed = parseOggOpus(readFileSync(file));
    expect(parsed.packets.map((p) => p.toString("hex"))).toEqual(packets.map((p) => Buffer.from(p.payload).toString("hex")));
  });

  it("keeps the time of lost packets in the file's duration", async () => {
    const dir = tempDir();
    const sink = createFileTalkSink({ path: path.join(dir, "talk.opus"), logger: silentLogger });
    const packets = demoRtp(2).filter((_, i) => i < 20 || i >= 45); // ~0.5 s lost mid-burst
    await feed(sink.open({ sessionId: "s1", label: "alice", startedAt: Date.now() }), packets);
    const { duration } = probe(path.join(dir, readdirSync(dir)[0]!));
    expect(duration).toBeGreaterThan(1.9);
  });

  it("never overwrites an earlier burst, and writes no file for a press without audio", async () => {
    const dir = tempDir();
    const sink = createFileTalkSink({ path: path.join(dir, "voice"), logger: silentLogger });
    const at = Date.now();
    await feed(sink.open({ sessionId: "s1", label: "alice", startedAt: at }), demoRtp(0.2));
    await feed(sink.open({ sessionId: "s2", label: "bob", startedAt: at }), demoRtp(0.2));
    await feed(sink.open({ sessionId: "s3", label: "carol", startedAt: at + 1 }), []);
    expect(readdirSync(dir).sort()).toEqual([burstFileName(path.join(dir, "voice"), at), burstFileName(path.join(dir, "voice"), at, 1)].map((f) => path.basename(f)).sort());
    expect(readdirSync(dir).every((f) => f.endsWith(".opus"))).toBe(true);
  });
});

describe("ffmpeg pipe talk sink (the ALSA sink's player)", () => {
  it("has ffmpeg decode the burst from its stdin as it arrives", async () => {
    const dir = tempDir();
    const wav = path.join(dir, "out.wav");
    // The ALSA sink is this sink with output ["-f", "alsa", <device>]; a WAV file stands in for
    // the speaker so the decoded length can be checked.
    const sink = createFfmpegPipeSink({ description: "wav", output: ["-f", "wav", wav], logger: silentLogger });
    await feed(sink.open({ sessionId: "s1", label: "alice", startedAt: Date.now() }), demoRtp(1.5));
    const { codec, duration } = probe(wav);
    expect(codec).toBe("pcm_s16le");
    expect(duration).toBeGreaterThan(1.4);
    expect(duration).toBeLessThan(1.6);
  });

  it("finds out at startup that an ALSA device which does not exist cannot be opened", () => {
    expect(alsaDeviceOpens("porthole_no_such_pcm")).toBe(false);
  });
});
