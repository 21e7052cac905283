// Why: `--talk-sink alsa:<device>` plays the talker on the camera's speaker. ffmpeg (already the
// agent's media tool) decodes the Ogg Opus we write to its stdin and plays it through ALSA. One
// process per talk burst: the sound device is held only while someone talks (the camera's own
// firmware or another player can use it otherwise), and a crashed player costs one burst.
import { spawn, spawnSync } from "node:child_process";
import type { Logger } from "../../log.ts";
import { createRtpToOgg } from "./rtp-to-ogg.ts";
import type { TalkBurst, TalkBurstInfo, TalkSink } from "./talk-sink.ts";

/** One packet per page: ffmpeg's Ogg demuxer hands a packet on only once its page is complete. */
const PIPE_PACKETS_PER_PAGE = 1;
/** ffmpeg gets this long to play out and exit after the burst ends, then it is killed. */
const DRAIN_TIMEOUT_MS = 5_000;

export interface FfmpegPipeSinkOptions {
  description: string;
  /** ffmpeg output arguments, e.g. ["-f", "alsa", "default"]. */
  output: readonly string[];
  ffmpegPath?: string;
  logger: Logger;
}

/** The ffmpeg arguments: Ogg Opus on stdin, decoded straight to `output` with no probing delay. */
export function ffmpegPipeArgs(output: readonly string[]): string[] {
  return ["-hide_banner", "-loglevel", "error", "-analyzeduration", "0", "-fflags", "nobuffer", "-f", "ogg", "-i", "pipe:0", ...output];
}

export function createFfmpegPipeSink(o: FfmpegPipeSinkOptions): TalkSink {
  const log = o.logger;
  return {
    description: o.description,
    open(info: TalkBurstInfo): TalkBurst {
      const ogg = createRtpToOgg({ packetsPerPage: PIPE_PACKETS_PER_PAGE, comments: [`TALKER=${info.label}`] });
      let child: ReturnType<typeof spawn> | null = null;
      let exited: Promise<void> = Promise.resolve();
      let failed = false;
      let ended: Promise<void> | null = null;
      let stderrTail = "";

      const fail = (message: string): void => {
        if (failed) return;
        failed = true;
        log.warn({ event: "feature", feature: "talk", action: "sink_failed", sessionId: info.sessionId, detail: `${o.description}: ${message}`.slice(0, 300) });
      };

      const start = (): void => {
        const args = ffmpegPipeArgs(o.output);
        const c = spawn(o.ffmpegPath ?? "ffmpeg", args, { stdio: ["pipe", "ignore", "pipe"] });
        child = c;
        exited = new Promise((resolve) => {
          c.once("close", (code, signal) => {
            // ffmpeg's last lines say why (e.g. "cannot open audio device hw:1").
            const why = stderrTail.split("\n").map((l) => l.trim()).filter(Boolean).slice(-4).join(" | ");
            if (code !== 0 && !(signal && ended)) fail(`ffmpeg exited ${code ?? signal}${why ? `: ${why}` : ""}`);
            resolve();
          });
        });
        c.once("error", (e) => fail(`cannot run ffmpeg: ${e.message}`));
        c.stdin?.on("error", (e) => fail(`ffmpeg input: ${e.message}`));
        c.stderr?.on("data", (d: Buffer) => (stderrTail = (stderrTail + d.toString("utf8")).slice(-1000)));
        if (c.pid) log.info({ event: "feature", feature: "talk", action: "sink_open", sessionId: info.sessionId, detail: `${o.description} ffmpeg pid ${c.pid}` });
      };

      return {
        write(rtp) {
          if (failed || ended) return;
          const chunks = ogg.push(rtp);
          if (chunks.length === 0) return;
          if (!child) start();
          for (const chunk of chunks) child?.stdin?.write(chunk);
        },
        end() {
          ended ??= (async () => {
            const last = ogg.end();
            const c = child;
            if (!c) return;
            if (last && !failed) c.stdin?.write(last);
            c.stdin?.end();
            const timer = setTimeout(() => c.kill("SIGKILL"), DRAIN_TIMEOUT_MS);
            await exited;
            clearTimeout(timer);
            log.info({ event: "feature", feature: "talk", action: "sink_closed", sessionId: info.sessionId, detail: `${o.description} ${ogg.seconds.toFixed(2)} s` });
          })();
          return ended;
        },
      };
    },
  };
}

export function createAlsaTalkSink(o: { device: string; ffmpegPath?: string; logger: Logger }): TalkSink {
  return createFfmpegPipeSink({
    description: `alsa:${o.device}`,
    output: ["-f", "alsa", o.device],
    logger: o.logger,
    ...(o.ffmpegPath ? { ffmpegPath: o.ffmpegPath } : {}),
  });
}

/**
 * Whether ffmpeg can open the ALSA device, by playing 10 ms of silence on it (once, at startup):
 * a camera whose speaker cannot be opened says so in its features instead of taking the floor
 * and playing nothing.
 */
export function alsaDeviceOpens(device: string, ffmpegPath = "ffmpeg"): boolean {
  const r = spawnSync(
    ffmpegPath,
    ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", "0.01", "-f", "alsa", device],
    { stdio: "ignore", timeout: 5_000 },
  );
  return !r.error && r.status === 0;
}
