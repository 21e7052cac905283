// Why: the virtual camera's presets survive restarts: one JSON file in the data dir, written to
// a temp file, fsynced and renamed over the old one (atomic on POSIX), so a power cut leaves
// the old or the new list, never half of it. A corrupt file is set aside, not fatal.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { PtzPositionSchema, PtzPresetSchema, type PtzPosition, type PtzPreset } from "../../../../protocol/index.ts";

export const PRESETS_FILE = "ptz-presets.json";
export const MAX_PRESETS = 100;

const StoredSchema = z.object({
  presets: z.array(PtzPresetSchema.extend({ position: PtzPositionSchema })).max(MAX_PRESETS),
});
export type StoredPreset = PtzPreset & { position: PtzPosition };

export interface PresetStore {
  list(): StoredPreset[];
  /** Replaces the whole list (validated) and persists it. */
  save(presets: StoredPreset[]): void;
}

export function openPresetStore(dir: string, onCorrupt?: (reason: string) => void): PresetStore {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, PRESETS_FILE);
  let current: StoredPreset[] = [];
  let text: string | null = null;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    /* no presets yet */
  }
  if (text !== null) {
    const r = (() => {
      try {
        return StoredSchema.safeParse(JSON.parse(text));
      } catch (e) {
        return { success: false as const, error: e as Error };
      }
    })();
    if (r.success) current = r.data.presets;
    else {
      try {
        renameSync(file, `${file}.corrupt-${Date.now()}`);
      } catch {
        /* best effort */
      }
      onCorrupt?.(r.error.message.slice(0, 200));
    }
  }
  return {
    list: () => current.map((p) => ({ ...p, position: { ...p.position } })),
    save(presets) {
      const next = StoredSchema.parse({ presets }).presets;
      const tmp = `${file}.tmp`;
      const fd = openSync(tmp, "w", 0o600);
      try {
        writeSync(fd, JSON.stringify({ presets: next }, null, 2) + "\n");
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
      current = next;
    },
  };
}
