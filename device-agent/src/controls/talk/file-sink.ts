// Why: `--talk-sink file:<path>` keeps each talk burst as its own Ogg Opus file next to <path>
// (talk.opus → talk-20261126T161733123Z.opus). One file per burst, not one long file: each is a
// complete stream with its EOS page the moment the talker lets go (playable, ffprobe-able, safe
// from a later crash), and the time between bursts is neither recorded as silence nor a
// timestamp gap. Chained Ogg (appending streams to one file) is valid but most tools read only
// the first link. The file is created at the first audio packet: a press with no sound leaves none.
import { createWriteStream, mkdirSync, openSync, type WriteStream } from "node:fs";
import path from "node:path";
import type { Logger } from "../../log.ts";
import { createRtpToOgg } from "./rtp-to-ogg.ts";
import type { TalkBurst, TalkBurstInfo, TalkSink } from "./talk-sink.ts";

/** About 1 s of 20 ms packets per page: 1 % overhead, and a crash loses at most ~1 s. */
const FILE_PACKETS_PER_PAGE = 50;

/** The burst's file name: <stem>-<UTC time to the ms>[-n]<ext>; `.opus` when <path> has no extension. */
export function burstFileName(template: string, startedAt: number, attempt = 0): string {
  const ext = path.extname(template) || ".opus";
  const stem = template.slice(0, template.length - path.extname(template).length);
  const stamp = new Date(startedAt).toISOString().replace(/[-:.]/g, "");
  return `${stem}-${stamp}${attempt > 0 ? `-${attempt + 1}` : ""}${ext}`;
}

export function createFileTalkSink(o: { path: string; logger: Logger }): TalkSink {
  const log = o.logger;
  return {
    description: `file:${o.path}`,
    open(info: TalkBurstInfo): TalkBurst {
      const ogg = createRtpToOgg({ packetsPerPage: FILE_PACKETS_PER_PAGE, comments: [`TALKER=${info.label}`, `DATE=${new Date(info.startedAt).toISOString()}`] });
      let out: WriteStream | null = null;
      let file = "";
      let failed = false;
      let ended: Promise<void> | null = null;

      const openFile = (): WriteStream | null => {
        try {
          mkdirSync(path.dirname(o.path), { recursive: true });
          for (let attempt = 0; ; attempt++) {
            file = burstFileName(o.path, info.startedAt, attempt);
            try {
              // "wx": never overwrite an earlier burst (two bursts in the same millisecond).
              const fd = openSync(file, "wx");
              const s = createWriteStream(file, { fd });
              s.on("error", (e) => fail(e));
              return s;
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 100) throw e;
            }
          }
        } catch (e) {
          fail(e as Error);
          return null;
        }
      };
      const fail = (e: Error): void => {
        if (failed) return;
        failed = true;
        log.warn({ event: "feature", feature: "talk", action: "sink_failed", sessionId: info.sessionId, detail: `${file}: ${e.message}` });
      };

      return {
        write(rtp) {
          if (failed || ended) return;
          const chunks = ogg.push(rtp);
          if (chunks.length === 0) return;
          if (!out) {
            out = openFile();
            if (!out) return;
            log.info({ event: "feature", feature: "talk", action: "sink_open", sessionId: info.sessionId, detail: file });
          }
          for (const c of chunks) out.write(c);
        },
        end() {
          ended ??= new Promise<void>((resolve) => {
            const last = ogg.end();
            if (!out) return resolve();
            const s = out;
            if (failed) {
              s.destroy();
              return resolve();
            }
            if (last) s.write(last);
            s.end(() => {
              log.info({ event: "feature", feature: "talk", action: "sink_closed", sessionId: info.sessionId, detail: `${file} ${ogg.seconds.toFixed(2)} s` });
              resolve();
            });
            s.once("error", () => resolve());
          });
          return ended;
        },
      };
    },
  };
}
