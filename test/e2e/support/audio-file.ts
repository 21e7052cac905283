// Why: "the camera heard the talk" is checked on the file the agent's talk sink wrote: its
// codec and length (ffprobe) and that it holds real sound, not silence (ffmpeg volumedetect).
import { spawnSync } from "node:child_process";

export function ffprobe(file: string): { codec: string; duration: number } {
  const r = spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name:format=duration", "-of", "json", file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ffprobe could not read ${file}: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as { streams: { codec_name: string }[]; format: { duration: string } };
  return { codec: j.streams[0]?.codec_name ?? "", duration: Number(j.format.duration) };
}

/** Peak level of the decoded audio in dBFS (ffmpeg volumedetect); -91 is digital silence. */
export function peakDb(file: string): number {
  const r = spawnSync("ffmpeg", ["-hide_banner", "-nostdin", "-i", file, "-af", "volumedetect", "-f", "null", "-"], { encoding: "utf8" });
  const m = /max_volume: (-?[\d.]+) dB/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`ffmpeg could not decode ${file}: ${r.stderr.slice(-500)}`);
  return Number(m[1]);
}

/** Throws naming the Debian package when ffprobe is missing. */
export function requireFfprobe(what: string): void {
  const probe = spawnSync("ffprobe", ["-version"], { stdio: "ignore" });
  if (probe.error || probe.status !== 0) throw new Error(`ffprobe is not installed: ${what} needs the Debian package "ffmpeg" (npm test installs it when run as root).`);
}
