// Why: the virtual camera's presets survive restarts: one JSON file in the data dir, written to
// a temp file, fsynced and renamed over the old one (atomic on POSIX), so a power cut leaves
// the old or the new list, never half of it. A corrupt file is set aside, not fatal.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { PtzPositionSchema, PtzPresetSchema, type PtzPosition, type PtzPreset } from "../../../../protocol/index.ts";
import { readJsonFile, writeJsonFileAtomic } from "../json-file.ts";

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
  let current: StoredPreset[] = readJsonFile(file, (json) => StoredSchema.parse(json).presets, onCorrupt) ?? [];
  return {
    list: () => current.map((p) => ({ ...p, position: { ...p.position } })),
    save(presets) {
      const next = StoredSchema.parse({ presets }).presets;
      writeJsonFileAtomic(file, { presets: next });
      current = next;
    },
  };
}
