// Why: the agent has no image codec of its own; ffmpeg decodes the H.264 group of pictures from
// stdin and encodes its last frame as a JPEG to stdout. Pipes only (no temp files on the
// camera's flash), with a deadline and an output cap so a wedged or runaway ffmpeg cannot hold
// a viewer's request or the agent's memory.
import { spawn } from "node:child_process";
import { ControlFailure } from "../control-failure.ts";
import type { GopStream } from "./gop-annexb.ts";

export interface JpegEncodeOptions {
  ffmpegPath?: string;
  /** ffmpeg is killed after this; the viewer gets `timeout`. */
  timeoutMs?: number;
  /** A JPEG larger than this is refused (a 4K frame at q 3 is ~2 MB). */
  maxBytes?: number;
  /** mjpeg qscale, 2 (best) … 31; 3 looks like the live picture at a fraction of PNG's size. */
  quality?: number;
}

/** With the 3 s keyframe wait this stays under the router's 9 s handler deadline. */
export const DEFAULT_SNAPSHOT_TIMEOUT_MS = 5_000;
export const DEFAULT_SNAPSHOT_MAX_BYTES = 8 * 1024 * 1024;

/** The ffmpeg arguments that turn an Annex B stream on stdin into a JPEG of frame `index`. */
export function jpegArgs(index: number, quality = 3): string[] {
  return [
    "-hide_banner", "-loglevel", "error",
    // Raw H.264 has no container: say so rather than let ffmpeg probe a pipe.
    "-f", "h264", "-i", "pipe:0",
    // `n` counts decoded frames; every frame before `index` is decoded (they are references)
    // but only the newest is encoded. yuvj420p: full-range 4:2:0, what JPEG/JFIF expects.
    "-vf", `select=gte(n\\,${index}),format=yuvj420p`,
    // No frame-rate conversion: raw H.264 has no timestamps to convert from.
    "-fps_mode", "passthrough",
    "-frames:v", "1", "-an",
    "-c:v", "mjpeg", "-q:v", String(quality),
    "-f", "mjpeg", "pipe:1",
  ];
}

/** Runs ffmpeg once: resolves with stdout (possibly empty), throws ControlFailure on failure. */
function runFfmpeg(input: Buffer, args: string[], o: Required<JpegEncodeOptions>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(o.ffmpegPath, args, { stdio: ["pipe", "pipe", "pipe"] });
    } catch (e) {
      return reject(ControlFailure.unsupported(`Snapshots need ffmpeg on the camera host: ${(e as Error).message}`));
    }
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = "";
    let failure: ControlFailure | null = null;
    const stop = (f: ControlFailure): void => {
      failure ??= f;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => stop(new ControlFailure("timeout", `making the snapshot took longer than ${o.timeoutMs} ms`)), o.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > o.maxBytes) return stop(new ControlFailure("internal", `the snapshot is larger than ${o.maxBytes} bytes`));
      out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-2000);
    });
    // ffmpeg may stop reading once it has its frame; a closed pipe is not our error.
    child.stdin.on("error", () => {});
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === "ENOENT" ? ControlFailure.unsupported("Snapshots need ffmpeg on the camera host (Debian package ffmpeg).") : new ControlFailure("internal", `ffmpeg: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (code !== 0) {
        const why = stderr.trim().split("\n").slice(-2).join(" ").slice(0, 300) || `exit ${code ?? signal}`;
        return reject(new ControlFailure("internal", `ffmpeg could not make the snapshot: ${why}`));
      }
      resolve(Buffer.concat(out));
    });
    child.stdin.end(input);
  });
}

/**
 * A JPEG of the last frame of `gop`. If the decoder produced fewer frames than the stream holds
 * (a damaged slice it dropped), falls back to the keyframe, which always decodes on its own.
 */
export async function encodeLastFrameJpeg(gop: GopStream, options: JpegEncodeOptions = {}): Promise<Buffer> {
  const o: Required<JpegEncodeOptions> = {
    ffmpegPath: options.ffmpegPath ?? "ffmpeg",
    timeoutMs: options.timeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? DEFAULT_SNAPSHOT_MAX_BYTES,
    quality: options.quality ?? 3,
  };
  const deadline = Date.now() + o.timeoutMs;
  const last = gop.frames - 1;
  let jpeg = await runFfmpeg(gop.annexB, jpegArgs(last, o.quality), o);
  // The fallback shares the one deadline: the viewer's request has a single budget.
  const left = deadline - Date.now();
  if (jpeg.length === 0 && last > 0 && left > 0) jpeg = await runFfmpeg(gop.annexB, jpegArgs(0, o.quality), { ...o, timeoutMs: left });
  if (jpeg.length === 0) throw new ControlFailure("internal", "ffmpeg decoded no frame from the camera's stream");
  return jpeg;
}
