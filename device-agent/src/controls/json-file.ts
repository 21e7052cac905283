// Why: the camera's small state files (settings, PTZ presets) must survive restarts and power
// cuts: written to a temp file, fsynced and renamed over the old one (rename is atomic on POSIX),
// so a crash leaves the old or the new file, never half of it. A corrupt file is set aside as
// <file>.corrupt-<time>, not fatal — a camera must boot even if its flash returned garbage.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";

/**
 * Reads `file` and hands its JSON to `parse` (which throws on bad values). Null when the file is
 * missing, or when it is corrupt: then it is renamed aside and `onCorrupt` is told why.
 */
export function readJsonFile<T>(file: string, parse: (json: unknown) => T, onCorrupt?: (reason: string) => void): T | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    return parse(JSON.parse(text));
  } catch (e) {
    try {
      renameSync(file, `${file}.corrupt-${Date.now()}`);
    } catch {
      /* best effort */
    }
    onCorrupt?.((e as Error).message.slice(0, 200));
    return null;
  }
}

/** Replaces `file` with `value` as JSON, atomically (temp file, fsync, rename). */
export function writeJsonFileAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(value, null, 2) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
