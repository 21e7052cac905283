// Why: real cameras (RTSP, V4L2) and the lavfi test pattern go through one ffmpeg process that
// encodes VP8 + H.264 (+ Opus) side by side and sends each as RTP to a loopback port we own.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { RtpPacket } from "werift";
import { createDefaultReconnectPolicy } from "../../../protocol/reconnect-policy.ts";
import { AgentError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { createKeyframeDetector } from "./keyframe-detector.ts";
import type { MediaCodec, MediaPacket, VideoCodecName } from "./packet.ts";
import { createListeners, type MediaSource } from "./source.ts";
import { bindUdpPair, type UdpPair } from "./udp-pair.ts";

export type FfmpegInput =
  | { kind: "testsrc" }
  | { kind: "rtsp"; url: string }
  | { kind: "v4l2"; device: string };

export interface FfmpegSourceOptions {
  input: FfmpegInput;
  logger: Logger;
  ffmpegPath?: string;
  /** Force audio on/off; by default testsrc has a sine, RTSP is probed, V4L2 has none. */
  audio?: boolean;
  fps?: number;
  size?: string;
  videoBitrate?: string;
}

export function ffmpegAvailable(path = "ffmpeg"): boolean {
  const r = spawnSync(path, ["-hide_banner", "-version"], { stdio: "ignore", timeout: 10_000 });
  return !r.error && r.status === 0;
}

/** Asks ffprobe whether an RTSP input carries audio (it ships in the same Debian package). */
export function probeHasAudio(url: string): boolean {
  const r = spawnSync(
    "ffprobe",
    ["-v", "error", "-rtsp_transport", "tcp", "-show_entries", "stream=codec_type", "-of", "csv=p=0", url],
    { encoding: "utf8", timeout: 15_000 },
  );
  return !r.error && r.status === 0 && /audio/.test(r.stdout);
}

/** The ffmpeg arguments for one input and three RTP outputs (ports are RTP ports; RTCP is +1). */
export function buildFfmpegArgs(
  input: FfmpegInput,
  ports: { vp8: number; h264: number; opus?: number },
  o: { fps: number; size: string; videoBitrate: string },
): string[] {
  const args = ["-hide_banner", "-loglevel", "error", "-nostdin"];
  let videoMap = "0:v:0";
  let audioMap = "0:a:0";
  switch (input.kind) {
    case "testsrc":
      args.push("-re", "-f", "lavfi", "-i", `testsrc2=size=${o.size}:rate=${o.fps}`);
      if (ports.opus) {
        args.push("-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000");
        audioMap = "1:a:0";
      }
      break;
    case "rtsp":
      args.push("-rtsp_transport", "tcp", "-i", input.url);
      break;
    case "v4l2":
      args.push("-f", "v4l2", "-framerate", String(o.fps), "-video_size", o.size, "-i", input.device);
      break;
  }
  const rtp = (port: number): string => `rtp://127.0.0.1:${port}?pkt_size=1200`;
  const gop = String(o.fps * 2);
  args.push(
    "-map", videoMap, "-an", "-vf", `scale=${o.size.replace("x", ":")},fps=${o.fps},format=yuv420p`,
    "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", o.videoBitrate, "-g", gop,
    "-auto-alt-ref", "0", "-lag-in-frames", "0", "-error-resilient", "1",
    "-f", "rtp", rtp(ports.vp8),
    "-map", videoMap, "-an", "-vf", `scale=${o.size.replace("x", ":")},fps=${o.fps},format=yuv420p`,
    // Baseline, no B-frames, SPS/PPS in band (stack notes) so any viewer can start at an IDR.
    "-c:v", "libx264", "-profile:v", "baseline", "-level", "3.1", "-tune", "zerolatency", "-preset", "veryfast",
    "-bf", "0", "-b:v", o.videoBitrate, "-g", gop, "-x264-params", "repeat-headers=1",
    "-f", "rtp", rtp(ports.h264),
  );
  if (ports.opus) {
    args.push("-map", audioMap, "-vn", "-c:a", "libopus", "-b:a", "32k", "-ar", "48000", "-ac", "2", "-f", "rtp", rtp(ports.opus));
  }
  return args;
}

export function describeInput(input: FfmpegInput): string {
  return input.kind === "testsrc" ? "testsrc" : input.kind;
}

export function createFfmpegSource(o: FfmpegSourceOptions): MediaSource {
  const log = o.logger;
  const packets = createListeners<[MediaPacket]>();
  const fatal = createListeners<[Error]>();
  const ffmpegPath = o.ffmpegPath ?? "ffmpeg";
  const audio =
    o.audio ?? (o.input.kind === "testsrc" ? true : o.input.kind === "rtsp" ? probeHasAudio(o.input.url) : false);
  const opts = { fps: o.fps ?? 15, size: o.size ?? "640x360", videoBitrate: o.videoBitrate ?? "600k" };
  const policy = createDefaultReconnectPolicy({ delaysMs: [1_000, 2_000, 5_000, 10_000, 30_000] });
  const pairs: UdpPair[] = [];
  let child: ChildProcess | undefined;
  let stopped = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let startedAt = 0;

  const listen = (pair: UdpPair, codec: MediaCodec): void => {
    const isKeyStart = createKeyframeDetector(codec);
    pair.rtp.on("message", (msg) => {
      let rtp: RtpPacket;
      try {
        rtp = RtpPacket.deSerialize(msg);
      } catch {
        return;
      }
      const { timestamp, marker } = rtp.header;
      packets.emit({ codec, payload: rtp.payload, timestamp, marker, keyframeStart: isKeyStart(rtp.payload, timestamp) });
    });
    pair.rtcp.on("message", () => {
      /* ffmpeg's sender reports: nothing to do, the port only has to exist */
    });
  };

  const spawnFfmpeg = (): void => {
    const [vp8, h264, opus] = pairs;
    const args = buildFfmpegArgs(o.input, { vp8: vp8!.port, h264: h264!.port, ...(opus ? { opus: opus.port } : {}) }, opts);
    const proc = spawn(ffmpegPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    child = proc;
    startedAt = Date.now();
    let stderrTail = "";
    proc.stderr?.on("data", (c: Buffer) => {
      stderrTail = (stderrTail + c.toString()).slice(-800);
    });
    proc.on("error", (e) => {
      log.error({ event: "source_error", source: describeInput(o.input), message: `ffmpeg: ${e.message}` });
    });
    if (proc.pid) log.info({ event: "ffmpeg_started", pid: proc.pid, args: args.join(" ").replace(/rtsp:\/\/[^@\s]*@/g, "rtsp://***@") });
    proc.on("exit", (code, signal) => {
      if (child === proc) child = undefined;
      log.warn({ event: "ffmpeg_exited", pid: proc.pid ?? -1, code, signal, stderrTail: stderrTail.trim() });
      if (stopped) return;
      // A camera reboot or network blip kills ffmpeg; restart it with backoff. Runs longer than
      // a minute count as healthy and reset the backoff.
      if (Date.now() - startedAt > 60_000) restarts = 0;
      const delay = policy.nextRetryDelayInMs({ retryCount: restarts++, elapsedMs: 0, lastError: `exit ${code}` });
      if (delay === null) {
        fatal.emit(AgentError.sourceFailed(`ffmpeg keeps exiting: ${stderrTail.trim().slice(-200)}`));
        return;
      }
      restartTimer = setTimeout(spawnFfmpeg, delay);
    });
  };

  const videoCodecs: readonly VideoCodecName[] = ["H264", "VP8"];
  return {
    description: describeInput(o.input),
    videoCodecs,
    audio,
    async start() {
      if (!ffmpegAvailable(ffmpegPath)) throw AgentError.ffmpegMissing();
      for (const codec of ["VP8", "H264", ...(audio ? (["opus"] as const) : [])] as const) {
        const pair = await bindUdpPair();
        pairs.push(pair);
        listen(pair, codec);
      }
      spawnFfmpeg();
    },
    async stop() {
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      const proc = child;
      child = undefined;
      if (proc?.pid && proc.exitCode === null) {
        await new Promise<void>((resolve) => {
          const kill = setTimeout(() => {
            proc.kill("SIGKILL");
          }, 2000);
          proc.once("exit", () => {
            clearTimeout(kill);
            resolve();
          });
          proc.kill("SIGTERM");
        });
      }
      for (const p of pairs.splice(0)) p.close();
    },
    onPacket: (fn) => packets.add(fn),
    onFatal: (fn) => fatal.add(fn),
  };
}
