// Why: the detector needs small grey pictures, and the agent has no video decoder of its own —
// only the H.264 it already sends (the SD stream, which the processed pipeline encodes anyway
// and whose keyframe cache is warm). One long-running ffmpeg decodes that stream from a pipe,
// keeps every Nth frame (~5 a second) and shrinks it to 64×36 luma with area averaging (which
// also smooths away most sensor noise): 2 304 bytes a frame, so the difference is trivial and
// the decode is the whole cost. Measured on the dev container (x86-64 VM, Node 24, Debian
// ffmpeg): the decoder uses ≈1.3 % of one core on the demo's 640×360 15 fps H.264 (utime+stime
// from /proc over 10 s); the frame difference takes ≈7 µs a frame, 5 a second — nothing. A
// Raspberry Pi-class host pays a few times the decode. No encoder is added: SD always runs.
import { spawn, type ChildProcess } from "node:child_process";
import type { Quality } from "../../../protocol/index.ts";
import type { Logger } from "../log.ts";
import type { MediaHub, Subscription } from "../media/media-hub.ts";
import { accessUnitToAnnexB, createH264Depacketizer } from "../rtp/h264-depacketizer.ts";

export const GRAY_WIDTH = 64;
export const GRAY_HEIGHT = 36;
/** Frames a second the detector looks at: enough to see a person cross, cheap to compare. */
export const GRAY_FPS = 5;
/** Stream bytes waiting for a busy decoder beyond which it skips to the next keyframe (~10 s of SD). */
const MAX_PENDING_BYTES = 1024 * 1024;

/** ffmpeg reads Annex B on stdin and writes `width`×`height` grey frames, every `nth` decoded one. */
export function grayFrameArgs(width: number, height: number, nth: number): string[] {
  return [
    "-hide_banner", "-loglevel", "error",
    // Low delay: no probing a pipe for seconds, no frame threads holding frames back.
    // (Not -fflags nobuffer: with it the raw H.264 demuxer loses the stream start and waits a GOP.)
    "-flags", "low_delay", "-probesize", "4096", "-analyzeduration", "0",
    "-threads", "1", "-f", "h264", "-i", "pipe:0",
    // Every frame is decoded (they reference each other) but only every nth is scaled and sent.
    "-vf", `select=not(mod(n\\,${nth})),scale=${width}:${height}:flags=area,format=gray`,
    "-fps_mode", "passthrough", "-an", "-flush_packets", "1", "-f", "rawvideo", "pipe:1",
  ];
}

export interface GrayFramesOptions {
  hub: MediaHub;
  quality?: Quality;
  /** The stream's frame rate, to keep ~GRAY_FPS of it. */
  fps: number;
  onFrame(frame: Uint8Array, at: number): void;
  logger: Logger;
  ffmpegPath?: string;
  now?: () => number;
}

export interface GrayFrames {
  stop(): Promise<void>;
  /** The decoding ffmpeg's pid (CPU measurements, tests). */
  readonly pid: number | undefined;
}

export function startGrayFrames(o: GrayFramesOptions): GrayFrames {
  const now = o.now ?? Date.now;
  const size = GRAY_WIDTH * GRAY_HEIGHT;
  const nth = Math.max(1, Math.round(o.fps / GRAY_FPS));
  const log = (action: string, detail?: string) => o.logger.info({ event: "feature", feature: "motion", action, ...(detail ? { detail: detail.slice(0, 200) } : {}) });
  let child: ChildProcess | undefined;
  let stopped = false;
  let sub: Subscription | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let exited: Promise<void> = Promise.resolve();

  const spawnDecoder = (): void => {
    const depack = createH264Depacketizer();
    /** Until an IDR: a decoder cannot start mid-GOP, and after a dropped unit it must resync. */
    let needIdr = true;
    let buffered: Buffer[] = [];
    let bufferedBytes = 0;
    const proc = spawn(o.ffmpegPath ?? "ffmpeg", grayFrameArgs(GRAY_WIDTH, GRAY_HEIGHT, nth), { stdio: ["pipe", "pipe", "pipe"] });
    child = proc;
    const startedAt = now();
    let stderr = "";
    proc.stderr!.on("data", (c: Buffer) => void (stderr = (stderr + c.toString("utf8")).slice(-1000)));
    proc.stdin!.on("error", () => {});
    proc.stdout!.on("data", (chunk: Buffer) => {
      buffered.push(chunk);
      bufferedBytes += chunk.length;
      if (bufferedBytes < size) return;
      let all = Buffer.concat(buffered);
      const at = now();
      while (all.length >= size) {
        o.onFrame(new Uint8Array(all.subarray(0, size)), at);
        all = all.subarray(size);
      }
      buffered = all.length ? [all] : [];
      bufferedBytes = all.length;
      failures = 0;
    });
    let done!: () => void;
    exited = new Promise((r) => (done = r));
    proc.on("error", (e) => log("decoder_error", e.message));
    proc.on("close", (code, signal) => {
      sub?.unsubscribe();
      sub = undefined;
      done();
      if (child === proc) child = undefined;
      if (stopped) return;
      // Restart with a growing pause: a source restart ends the stream, a broken ffmpeg must not spin.
      failures = now() - startedAt > 30_000 ? 1 : failures + 1;
      const delay = Math.min(30_000, 1_000 * 2 ** (failures - 1));
      log("decoder_exited", `${code ?? signal}; restart in ${delay} ms; ${stderr.trim().split("\n").slice(-1)[0] ?? ""}`);
      restartTimer = setTimeout(spawnDecoder, delay);
    });

    const write = (payload: Buffer, timestamp: number, marker: boolean): void => {
      for (const au of depack.push(payload, timestamp, marker)) {
        if (needIdr && !au.idr) continue;
        needIdr = false;
        // A decoder that cannot keep up loses frames, not memory: skip to the next keyframe.
        if (proc.stdin!.writableLength > MAX_PENDING_BYTES) {
          needIdr = true;
          continue;
        }
        proc.stdin!.write(accessUnitToAnnexB(au));
      }
    };
    sub = o.hub.subscribe("H264", (p) => write(p.payload, p.timestamp, p.marker), { quality: o.quality ?? "sd" });
    for (const p of sub.replay) write(p.payload, p.timestamp, p.marker);
  };

  spawnDecoder();
  return {
    get pid() {
      return child?.pid;
    },
    async stop() {
      stopped = true;
      clearTimeout(restartTimer);
      sub?.unsubscribe();
      sub = undefined;
      const c = child;
      if (c) {
        c.stdin?.end();
        c.kill("SIGTERM");
        const killer = setTimeout(() => c.kill("SIGKILL"), 2_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}
