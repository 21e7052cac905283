// Why: what every ffmpeg user in the agent shares: the camera inputs ffmpeg can open (test
// pattern, RTSP, V4L2), whether ffmpeg is installed, and whether an RTSP input has audio. The
// camera pipeline itself is processed-source.ts.
import { spawnSync } from "node:child_process";

export type FfmpegInput =
  | { kind: "testsrc" }
  | { kind: "rtsp"; url: string }
  | { kind: "v4l2"; device: string };

/** Answers per path, so the source, snapshots and talk asking at start-up spawn ffmpeg once. */
const available = new Map<string, boolean>();

export function ffmpegAvailable(path = "ffmpeg"): boolean {
  let ok = available.get(path);
  if (ok === undefined) {
    const r = spawnSync(path, ["-hide_banner", "-version"], { stdio: "ignore", timeout: 10_000 });
    ok = !r.error && r.status === 0;
    available.set(path, ok);
  }
  return ok;
}

/** Whether this ffmpeg build has a filter (e.g. `zmq`, which needs ffmpeg built with libzmq). */
export function ffmpegHasFilter(name: string, path = "ffmpeg"): boolean {
  const r = spawnSync(path, ["-hide_banner", "-filters"], { encoding: "utf8", timeout: 10_000 });
  return !r.error && r.status === 0 && new RegExp(`^\\s*\\S+\\s+${name}\\s`, "m").test(r.stdout);
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

export function describeInput(input: FfmpegInput): string {
  return input.kind === "testsrc" ? "testsrc" : input.kind;
}
