// Why: the camera's settings survive restarts and power cuts: one JSON file in the data dir,
// written to a temp file, fsynced and renamed over the old one (rename is atomic on POSIX), so
// a crash leaves either the old or the new settings, never half a file.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DeviceSettingsSchema, type DeviceSettings, type DeviceSettingsPatch, type MotionSettings } from "../../../../protocol/index.ts";
import { readJsonFile, writeJsonFileAtomic } from "../json-file.ts";
import { applySettingsPatch } from "./settings-patch.ts";

export const SETTINGS_FILE = "settings.json";

export interface SettingsStore {
  get(): DeviceSettings;
  /** Validates, applies and persists a patch; throws ControlFailure(invalid_value) naming the field. */
  update(patch: DeviceSettingsPatch): DeviceSettings;
  /** Called after every successful update with the new and previous settings. */
  onChange(fn: (next: DeviceSettings, prev: DeviceSettings) => void): () => void;
}

/** Motion detection is on out of the box: telling people something moved is why they buy a camera. */
export const DEFAULT_MOTION_SETTINGS: MotionSettings = { enabled: true, sensitivity: 50, zones: [] };

export function defaultSettings(name: string): DeviceSettings {
  return {
    name: name.slice(0, 64) || "Camera",
    timeZone: "UTC",
    audio: true,
    image: { flip: false, mirror: false, night: "auto" },
    quality: {
      sd: { width: 640, height: 360, fps: 15, bitrateKbps: 600 },
      hd: { width: 1280, height: 720, fps: 15, bitrateKbps: 1800 },
    },
    recording: { mode: "off", retentionMb: 1024 },
    motion: { ...DEFAULT_MOTION_SETTINGS, zones: [] },
  };
}

/**
 * Opens the store in `dir`. A missing file starts from defaults; a corrupt one (bad JSON or
 * values) is kept aside as settings.json.corrupt-<time> and defaults are used, with `onCorrupt`
 * told why — a camera must boot even if its flash returned garbage.
 */
export function openSettingsStore(dir: string, defaults: DeviceSettings, onCorrupt?: (reason: string) => void): SettingsStore {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, SETTINGS_FILE);
  // Merge over defaults so settings added by a newer agent get their default values.
  let current = readJsonFile(file, (json) => applySettingsPatch(defaults, json as DeviceSettingsPatch), onCorrupt) ?? defaults;
  const listeners = new Set<(next: DeviceSettings, prev: DeviceSettings) => void>();
  return {
    get: () => current,
    update(patch) {
      const next = DeviceSettingsSchema.parse(applySettingsPatch(current, patch));
      writeJsonFileAtomic(file, next);
      const prev = current;
      current = next;
      for (const fn of [...listeners]) fn(next, prev);
      return next;
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
