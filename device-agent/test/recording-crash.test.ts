// The crash test of issue 5: a camera killed with SIGKILL in the middle of a segment must leave
// every finished segment playable (ffprobe reads it, ffmpeg decodes every frame without error)
// and, after a restart, a listing that matches the files on disk. Real parts: the demo source,
// the recorder in a child process, Debian's ffmpeg/ffprobe.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHILD = path.join(import.meta.dirname, "fixtures", "recording-child.ts");
let dataDir: string;
let child: ChildProcess | null = null;

function requireFfmpeg(): void {
  for (const tool of ["ffmpeg", "ffprobe"]) {
    const r = spawnSync(tool, ["-version"], { encoding: "utf8" });
    if (r.error || r.status !== 0) throw new Error(`${tool} not found: install the Debian package "ffmpeg" (apt-get install ffmpeg)`);
  }
}

/** ffprobe reads a video stream, and ffmpeg decodes the whole file with no error. */
function checkPlayable(file: string): { ok: boolean; detail: string; seconds: number } {
  const probe = spawnSync("ffprobe", ["-v", "error", "-show_entries", "format=duration:stream=codec_name,width,height", "-of", "json", file], { encoding: "utf8" });
  const decode = spawnSync("ffmpeg", ["-v", "error", "-xerror", "-i", file, "-f", "null", "-"], { encoding: "utf8" });
  let seconds = 0;
  let codecs = "";
  try {
    const j = JSON.parse(probe.stdout) as { format?: { duration?: string }; streams?: Array<{ codec_name: string; width?: number }> };
    seconds = Number(j.format?.duration ?? 0);
    codecs = (j.streams ?? []).map((s) => s.codec_name).join(",");
  } catch {
    /* reported below */
  }
  const ok = probe.status === 0 && decode.status === 0 && decode.stderr.trim() === "" && codecs.includes("h264");
  return { ok, seconds, detail: `${path.basename(file)}: ffprobe ${probe.status} [${codecs}] ${probe.stderr.trim()} | ffmpeg ${decode.status} ${decode.stderr.trim().slice(0, 300)}` };
}

const sha = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");
const recDir = (): string => path.join(dataDir, "recordings");

function runChild(command: "record" | "list"): ChildProcess {
  return spawn(process.execPath, [CHILD, command, dataDir], { stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(() => {
  requireFfmpeg();
  dataDir = mkdtempSync(path.join(tmpdir(), "porthole-crash-"));
});
afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

describe("recording crash safety", () => {
  it("keeps every finished segment playable and the listing consistent after kill -9 mid-segment", { timeout: 60_000 }, async () => {
    child = runChild("record");
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on("data", (d: Buffer) => d.toString().includes("recording") && resolve());
      child!.once("exit", (code) => reject(new Error(`recorder exited early (${code}): ${stderr.slice(-1000)}`)));
    });
    // The demo clip has a keyframe every 6 s: two finished segments, then 2.5 s into the third.
    await new Promise((r) => setTimeout(r, 14_500));
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGKILL");
    await exited;

    const names = readdirSync(recDir()).sort();
    const finished = names.filter((n) => n.endsWith(".mp4"));
    const parts = names.filter((n) => n.endsWith(".mp4.part"));
    expect(finished.length, names.join(" ")).toBeGreaterThanOrEqual(2);
    expect(parts, names.join(" ")).toHaveLength(1); // killed mid-segment
    const before = new Map(finished.map((n) => [n, sha(path.join(recDir(), n))]));
    for (const n of finished) {
      const r = checkPlayable(path.join(recDir(), n));
      expect(r.ok, r.detail).toBe(true);
      const [start, end] = n.replace(".mp4", "").split("-").map(Number);
      expect(Math.abs(r.seconds * 1000 - (end! - start!)), r.detail).toBeLessThan(100);
    }

    // Restart: the leftover .part is salvaged (cut to its last complete fragment) and listed.
    const lister = runChild("list");
    let out = "";
    lister.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise((r) => lister.once("exit", r));
    expect(code).toBe(0);
    const listing = JSON.parse(out) as { segments: Array<{ id: string; start: number; end: number; bytes: number }> };
    const after = readdirSync(recDir()).sort();
    expect(after.filter((n) => n.endsWith(".part"))).toEqual([]);
    expect(listing.segments.map((s) => `${s.id}.mp4`)).toEqual(after);
    for (const s of listing.segments) expect(s.bytes).toBe(statSync(path.join(recDir(), `${s.id}.mp4`)).size);
    for (const [n, hash] of before) expect(sha(path.join(recDir(), n)), `${n} changed`).toBe(hash);
    const salvaged = after.filter((n) => !before.has(n));
    expect(salvaged, "the part was salvaged").toHaveLength(1);
    expect(salvaged[0]!.startsWith(parts[0]!.replace(".mp4.part", "-"))).toBe(true);
    const r = checkPlayable(path.join(recDir(), salvaged[0]!));
    expect(r.ok, r.detail).toBe(true);
    expect(r.seconds).toBeGreaterThan(0.5);
  });
});
