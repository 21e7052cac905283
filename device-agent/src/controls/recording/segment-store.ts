// Why: the recordings folder on disk. Segments are written as `<start>.mp4.part`, fsynced after
// every fragment, and renamed to `<start>-<end>.mp4` (then the folder fsynced) only once complete:
// the listing is `readdir` of finished names, so it can never show a segment that is not fully
// on disk. At startup leftover `.part` files (kill -9, power cut) are salvaged: cut to their last
// complete fragment and renamed with the end time that fragment reaches; unusable ones are deleted.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync } from "node:fs";
import { open, readFile, rename, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { RecordingSegment } from "../../../../protocol/index.ts";
import { scanFragmentedMp4 } from "./fmp4-scan.ts";
import { parsePartFileName, parseSegmentFileName, partFileName, segmentFileName } from "./segment-names.ts";

export interface PartWriter {
  readonly start: number;
  /** Bytes queued so far. */
  readonly bytes: number;
  /** Queues bytes; `durable` fsyncs after them (one fragment = one fsync). */
  append(bytes: Buffer, durable: boolean): void;
  /** Flushes, fsyncs and renames to the finished name; resolves with the listed segment. */
  finish(end: number): Promise<RecordingSegment>;
  /** Closes and deletes the part (nothing worth keeping). */
  abort(): Promise<void>;
}

export interface SalvageReport {
  salvaged: RecordingSegment[];
  removed: string[];
}

export interface SegmentStore {
  readonly dir: string;
  /** Finished segments, oldest first. */
  list(): RecordingSegment[];
  /** The bytes of a listed segment, or null if `id` is not in the listing. */
  read(id: string): Promise<Buffer | null>;
  remove(segments: readonly RecordingSegment[]): void;
  createPart(start: number): PartWriter;
  /** Startup: salvage or delete leftover `.part` files (none may be open). */
  recoverParts(): SalvageReport;
}

function syncDir(dir: string): void {
  // A rename is durable only once the directory entry is on disk (fsync(2) on the directory).
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function openSegmentStore(dir: string): SegmentStore {
  mkdirSync(dir, { recursive: true });

  const list = (): RecordingSegment[] => {
    const out: RecordingSegment[] = [];
    for (const name of readdirSync(dir)) {
      const parsed = parseSegmentFileName(name);
      if (!parsed) continue;
      try {
        out.push({ ...parsed, bytes: statSync(path.join(dir, name)).size });
      } catch {
        /* deleted meanwhile (retention) */
      }
    }
    return out.sort((a, b) => a.start - b.start);
  };

  const createPart = (start: number): PartWriter => {
    const partPath = path.join(dir, partFileName(start));
    let bytes = 0;
    let failed: Error | null = null;
    const fh: Promise<FileHandle> = open(partPath, "wx", 0o600);
    let chain: Promise<unknown> = fh;
    const step = (fn: (h: FileHandle) => Promise<unknown>): void => {
      chain = chain.then(async () => {
        if (!failed) await fn(await fh);
      }).catch((e: Error) => {
        failed ??= e;
      });
    };
    const close = async (): Promise<void> => {
      await chain;
      await (await fh.catch(() => null))?.close().catch(() => undefined);
    };
    return {
      start,
      get bytes() {
        return bytes;
      },
      append(buf, durable) {
        bytes += buf.length;
        step(async (h) => {
          await h.write(buf);
          if (durable) await h.sync();
        });
      },
      async finish(end) {
        step((h) => h.sync());
        await close();
        if (failed) throw failed;
        const name = segmentFileName(start, end);
        await rename(partPath, path.join(dir, name));
        syncDir(dir);
        return { ...parseSegmentFileName(name)!, bytes };
      },
      async abort() {
        await close();
        await unlink(partPath).catch(() => undefined);
      },
    };
  };

  return {
    dir,
    list,
    async read(id) {
      const hit = list().find((s) => s.id === id);
      if (!hit) return null;
      // The path is rebuilt from the listed numbers, never from the viewer's string.
      return readFile(path.join(dir, segmentFileName(hit.start, hit.end))).catch(() => null);
    },
    remove(segments) {
      for (const s of segments) {
        try {
          unlinkSync(path.join(dir, segmentFileName(s.start, s.end)));
        } catch {
          /* already gone */
        }
      }
    },
    createPart,
    recoverParts() {
      const report: SalvageReport = { salvaged: [], removed: [] };
      for (const name of readdirSync(dir)) {
        const start = parsePartFileName(name);
        if (start === null) continue;
        const file = path.join(dir, name);
        const scan = scanFragmentedMp4(readFileSync(file));
        const end = start + Math.round(scan.videoMs);
        const finalName = segmentFileName(start, end);
        let taken = false;
        try {
          statSync(path.join(dir, finalName));
          taken = true;
        } catch {
          /* free */
        }
        if (scan.fragments === 0 || end <= start || taken) {
          unlinkSync(file);
          report.removed.push(name);
          continue;
        }
        truncateSync(file, scan.validBytes);
        const fd = openSync(file, "r+");
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(file, path.join(dir, finalName));
        report.salvaged.push({ ...parseSegmentFileName(finalName)!, bytes: scan.validBytes });
      }
      if (report.salvaged.length + report.removed.length > 0) syncDir(dir);
      return report;
    },
  };
}
