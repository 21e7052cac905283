// Why: the camera picture as viewers get it when ffmpeg is on the host: every input (test
// pattern, RTSP, V4L2, the demo clip) is decoded, mirrored/flipped, cropped (virtual PTZ), given
// the night look and encoded per stream quality (SD, HD) in VP8 and H.264. The crop and look
// change at run time through ffmpeg's zmq filter; profile, flip and mirror changes restart the
// encoder (the hub's keyframe cache and the feeds' timestamp rebasing keep sessions playing).
//
// CPU (2 cores, shared): SD runs always — every session starts on it, and a warm keyframe cache
// makes the first frame fast. HD is a second ffmpeg that runs only while someone watches HD
// (and a few seconds after, so toggling back and forth does not respawn it). Each process
// decodes the input itself, which costs a second decode while HD is watched but never encodes
// 720p for nobody. V4L2 devices open once, so there one process encodes both, always.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { RtpPacket } from "werift";
import type { DeviceSettings, PtzPosition, Quality, QualityProfile } from "../../../protocol/index.ts";
import { createDefaultReconnectPolicy } from "../../../protocol/reconnect-policy.ts";
import { defaultSettings } from "../controls/settings/settings-store.ts";
import { AgentError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { cropWindow, cropExpressions, type CropWindow } from "./crop-window.ts";
import { ffmpegAvailable, ffmpegHasFilter } from "./ffmpeg-source.ts";
import { createFilterCommandClient, type FilterCommandClient } from "./filter-command-client.ts";
import { lookFor, nightActive, type Look } from "./image-look.ts";
import { createKeyframeDetector } from "./keyframe-detector.ts";
import type { MediaCodec, MediaPacket, VideoCodecName } from "./packet.ts";
import { buildEncoderArgs, CROP_FILTER, LOOK_FILTER, type PipelineInput } from "./pipeline-args.ts";
import { createListeners, type MediaSource } from "./source.ts";
import { bindUdpPair, type UdpPair } from "./udp-pair.ts";

export interface ProcessedSourceOptions {
  input: PipelineInput;
  logger: Logger;
  /** Short description for the hello and logs. */
  description: string;
  ffmpegPath?: string;
  /** Whether the input has audio to forward (Opus RTP from the SD process). */
  audio: boolean;
  /** Encode all qualities in one always-on process (inputs only one process can open). */
  shared?: boolean;
  /** Keep an unwatched HD encoder this long before stopping it. */
  idleStopMs?: number;
  /** How often "auto" night mode looks at the clock. */
  nightCheckMs?: number;
  now?: () => Date;
}

interface Encoder {
  readonly qualities: readonly Quality[];
  /** The video codecs this process encodes (on-demand encoders: only those watched). */
  codecs: readonly VideoCodecName[];
  readonly audio: boolean;
  readonly pairs: Map<string, UdpPair>;
  zmqPort: number;
  child: ChildProcess | undefined;
  commands: FilterCommandClient | undefined;
  timeline: number;
  stopped: boolean;
  restarts: number;
  startedAt: number;
  restartTimer: NodeJS.Timeout | undefined;
  /** Settles once ports are bound and the first ffmpeg spawned. */
  ready: Promise<void>;
}

const QUALITY_ORDER: readonly Quality[] = ["sd", "hd"];
const VIDEO_CODECS: readonly VideoCodecName[] = ["H264", "VP8"];

/** A free loopback TCP port for ffmpeg's zmq filter to bind (it binds a moment later). */
function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export function createProcessedSource(o: ProcessedSourceOptions): MediaSource {
  const log = o.logger;
  const ffmpegPath = o.ffmpegPath ?? "ffmpeg";
  const packets = createListeners<[MediaPacket]>();
  const fatal = createListeners<[Error]>();
  const nightChanges = createListeners<[boolean]>();
  const policy = createDefaultReconnectPolicy({ delaysMs: [500, 1_000, 2_000, 5_000, 10_000, 30_000] });
  const now = o.now ?? (() => new Date());
  let settings: DeviceSettings = defaultSettings("camera");
  let view: CropWindow = cropWindow({ pan: 0, tilt: 0, zoom: 0 });
  const nightNow = (): boolean => nightActive(settings.image.night, now(), settings.timeZone);
  /** What the picture shows: the look follows this (viewers are told when it flips). */
  let night = nightNow();
  let look: Look = lookFor(night);
  let started = false;
  let stopped = false;
  let nextTimeline = 1;
  let nightTimer: NodeJS.Timeout | undefined;
  const encoders = new Set<Encoder>();
  const idleTimers = new Map<Quality, NodeJS.Timeout>();

  const aspectOf = (qs: readonly Quality[]): number => {
    const p = settings.quality[qs[0] ?? "sd"];
    return p.width / p.height;
  };

  const listen = (enc: Encoder, pair: UdpPair, codec: MediaCodec, quality: Quality | undefined): void => {
    const isKeyStart = createKeyframeDetector(codec);
    pair.rtp.on("message", (msg) => {
      let rtp: RtpPacket;
      try {
        rtp = RtpPacket.deSerialize(msg);
      } catch {
        return;
      }
      const { timestamp, marker } = rtp.header;
      packets.emit({
        codec,
        payload: rtp.payload,
        timestamp,
        marker,
        keyframeStart: isKeyStart(rtp.payload, timestamp),
        // Set directly (undefined for audio), not spread in: this runs for every RTP packet.
        quality,
        timeline: enc.timeline,
      });
    });
    pair.rtcp.on("message", () => {
      /* ffmpeg's sender reports: the port only has to exist */
    });
  };

  const sendView = (enc: Encoder): void => {
    const c = cropExpressions(view, aspectOf(enc.qualities));
    for (const k of ["w", "h", "x", "y"] as const) enc.commands?.send(CROP_FILTER, k, c[k]);
  };
  const sendLook = (enc: Encoder): void => {
    for (const k of ["saturation", "brightness", "contrast", "gamma"] as const) enc.commands?.send(LOOK_FILTER, k, String(look[k]));
  };

  const spawnEncoder = async (enc: Encoder): Promise<void> => {
    if (enc.stopped) return;
    enc.zmqPort = await freeTcpPort();
    if (enc.stopped) return;
    enc.timeline = nextTimeline++;
    const args = buildEncoderArgs({
      input: o.input,
      outputs: enc.qualities.map((q) => ({
        quality: q,
        profile: settings.quality[q],
        ...(enc.codecs.includes("VP8") ? { vp8Port: enc.pairs.get(`${q}/VP8`)!.port } : {}),
        ...(enc.codecs.includes("H264") ? { h264Port: enc.pairs.get(`${q}/H264`)!.port } : {}),
      })),
      ...(enc.audio ? { audioPort: enc.pairs.get("opus")!.port } : {}),
      zmqPort: enc.zmqPort,
      flip: settings.image.flip,
      mirror: settings.image.mirror,
      look,
      view,
      aspect: aspectOf(enc.qualities),
    });
    const proc = spawn(ffmpegPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    enc.child = proc;
    enc.startedAt = Date.now();
    enc.commands?.close();
    enc.commands = createFilterCommandClient(enc.zmqPort, (message) =>
      log.warn({ event: "source_error", source: o.description, message: `filter command: ${message}` }),
    );
    let stderrTail = "";
    proc.stderr?.on("data", (c: Buffer) => {
      stderrTail = (stderrTail + c.toString()).slice(-800);
    });
    proc.on("error", (e) => log.error({ event: "source_error", source: o.description, message: `ffmpeg: ${e.message}` }));
    if (proc.pid) {
      log.info({ event: "ffmpeg_started", pid: proc.pid, args: args.join(" ").replace(/rtsp:\/\/[^@\s]*@/g, "rtsp://***@") });
    }
    proc.on("exit", (code, signal) => {
      if (enc.child !== proc) return; // replaced by a restart on purpose
      enc.child = undefined;
      log.warn({ event: "ffmpeg_exited", pid: proc.pid ?? -1, code, signal, stderrTail: stderrTail.trim() });
      if (enc.stopped) return;
      // A camera reboot or network blip kills ffmpeg: restart with backoff; a minute of health
      // resets it. Only the always-on encoder's persistent failure is fatal for the source.
      if (Date.now() - enc.startedAt > 60_000) enc.restarts = 0;
      const delay = policy.nextRetryDelayInMs({ retryCount: enc.restarts++, elapsedMs: 0, lastError: `exit ${code}` });
      if (delay === null) {
        if (enc.audio || enc.qualities.includes("sd")) fatal.emit(AgentError.sourceFailed(`ffmpeg keeps exiting: ${stderrTail.trim().slice(-200)}`));
        return;
      }
      enc.restartTimer = setTimeout(() => void spawnEncoder(enc), delay);
    });
  };

  const killChild = (proc: ChildProcess | undefined): Promise<void> => {
    if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const kill = setTimeout(() => proc.kill("SIGKILL"), 2000);
      proc.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      proc.kill("SIGTERM");
    });
  };

  const startEncoder = async (qualities: readonly Quality[], audio: boolean, codecs: readonly VideoCodecName[] = VIDEO_CODECS): Promise<Encoder> => {
    const enc: Encoder = {
      qualities,
      codecs,
      audio,
      pairs: new Map(),
      zmqPort: 0,
      child: undefined,
      commands: undefined,
      timeline: 0,
      stopped: false,
      restarts: 0,
      startedAt: 0,
      restartTimer: undefined,
      ready: Promise.resolve(),
    };
    encoders.add(enc);
    enc.ready = bindAndSpawn(enc);
    await enc.ready;
    return enc;
  };

  const bindAndSpawn = async (enc: Encoder): Promise<void> => {
    for (const q of enc.qualities) {
      for (const codec of VIDEO_CODECS) {
        const pair = await bindUdpPair();
        enc.pairs.set(`${q}/${codec}`, pair);
        listen(enc, pair, codec, q);
      }
    }
    if (enc.audio) {
      const pair = await bindUdpPair();
      enc.pairs.set("opus", pair);
      listen(enc, pair, "opus", undefined);
    }
    await spawnEncoder(enc);
  };

  const stopEncoder = async (enc: Encoder): Promise<void> => {
    enc.stopped = true;
    await enc.ready.catch(() => {});
    encoders.delete(enc);
    clearTimeout(enc.restartTimer);
    enc.commands?.close();
    const proc = enc.child;
    enc.child = undefined;
    await killChild(proc);
    for (const p of enc.pairs.values()) p.close();
    enc.pairs.clear();
  };

  /** New settings for an encoder's process: the old one goes, a new one takes the same ports. */
  const restartEncoder = async (enc: Encoder): Promise<void> => {
    await enc.ready.catch(() => {});
    if (enc.stopped) return;
    clearTimeout(enc.restartTimer);
    const proc = enc.child;
    enc.child = undefined;
    await killChild(proc);
    enc.restarts = 0;
    await spawnEncoder(enc);
  };

  const encoderFor = (q: Quality): Encoder | undefined => [...encoders].find((e) => e.qualities.includes(q));

  const applyLook = (): void => {
    const nextNight = nightNow();
    const next = lookFor(nextNight);
    const flipped = nextNight !== night;
    night = nextNight;
    if (JSON.stringify(next) !== JSON.stringify(look)) {
      look = next;
      for (const enc of encoders) sendLook(enc);
    }
    if (flipped) nightChanges.emit(night);
  };

  const qualities: readonly Quality[] = QUALITY_ORDER;
  return {
    description: o.description,
    videoCodecs: VIDEO_CODECS,
    audio: o.audio,
    qualities,
    profile: (q) => settings.quality[q],
    async start() {
      if (started) return;
      if (!ffmpegAvailable(ffmpegPath)) throw AgentError.ffmpegMissing();
      // Runtime crop/look commands arrive through the zmq filter (Debian's ffmpeg has it).
      if (!ffmpegHasFilter("zmq", ffmpegPath)) {
        throw AgentError.sourceFailed("this ffmpeg has no zmq filter (built without libzmq); install Debian's ffmpeg package or start with --ptz none and the demo source");
      }
      started = true;
      night = nightNow();
      look = lookFor(night);
      await startEncoder(o.shared ? qualities : ["sd"], o.audio);
      nightTimer = setInterval(applyLook, o.nightCheckMs ?? 60_000);
      nightTimer.unref?.();
    },
    async stop() {
      stopped = true;
      clearInterval(nightTimer);
      for (const t of idleTimers.values()) clearTimeout(t);
      idleTimers.clear();
      await Promise.allSettled([...encoders].map(stopEncoder));
    },
    onPacket: (fn) => packets.add(fn),
    onFatal: (fn) => fatal.add(fn),
    // Before start the settings decide alone (the look is applied from the first frame).
    nightActive: () => (started ? night : nightNow()),
    onNightChange: (fn) => nightChanges.add(fn),
    setDemand(q: Quality, subscribers: number, codecs: readonly VideoCodecName[]) {
      if (o.shared || q === "sd" || !started || stopped) return;
      const idle = idleTimers.get(q);
      if (subscribers > 0) {
        if (idle) clearTimeout(idle);
        idleTimers.delete(q);
        const running = encoderFor(q);
        if (!running) {
          // Only the codecs watched: a 720p encoder nobody decodes is the biggest waste here.
          log.info({ event: "feature", feature: "stream", action: "encoder_start", detail: `${q} ${codecs.join("+")}` });
          void startEncoder([q], false, codecs).catch((e: Error) =>
            log.error({ event: "source_error", source: o.description, message: `${q} encoder: ${e.message}` }),
          );
        } else if (codecs.some((c) => !running.codecs.includes(c))) {
          // A viewer on the other codec: the encoder grows to both (it never shrinks while
          // running; it stops when nobody watches this quality).
          running.codecs = VIDEO_CODECS.filter((c) => running.codecs.includes(c) || codecs.includes(c));
          log.info({ event: "feature", feature: "stream", action: "encoder_restart", detail: `${q} ${running.codecs.join("+")}` });
          void restartEncoder(running);
        }
        return;
      }
      if (idle || !encoderFor(q)) return;
      const t = setTimeout(() => {
        idleTimers.delete(q);
        const enc = encoderFor(q);
        if (!enc) return;
        log.info({ event: "feature", feature: "stream", action: "encoder_stop", detail: q });
        void stopEncoder(enc);
      }, o.idleStopMs ?? 5_000);
      idleTimers.set(q, t);
    },
    setView(position: PtzPosition) {
      const next = cropWindow(position);
      if (next.scale === view.scale && next.fx === view.fx && next.fy === view.fy) return;
      view = next;
      for (const enc of encoders) sendView(enc);
    },
    applySettings(next: DeviceSettings) {
      const prev = settings;
      settings = next;
      if (!started) {
        // Not playing yet: the night state still follows the setting (viewers may ask).
        const was = night;
        night = nightNow();
        if (night !== was) nightChanges.emit(night);
        return;
      }
      const imageChanged = prev.image.flip !== next.image.flip || prev.image.mirror !== next.image.mirror;
      for (const enc of [...encoders]) {
        const profileChanged = enc.qualities.some((q) => JSON.stringify(prev.quality[q]) !== JSON.stringify(next.quality[q]));
        if (imageChanged || profileChanged) {
          log.info({ event: "feature", feature: "stream", action: "encoder_restart", detail: enc.qualities.join("+") });
          void restartEncoder(enc);
        }
      }
      applyLook();
    },
  };
}
