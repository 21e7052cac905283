import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applySettingsPatch } from "./settings-patch.ts";
import { defaultSettings, openSettingsStore, SETTINGS_FILE } from "./settings-store.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("motion settings", () => {
  it("start with detection on at sensitivity 50 over the whole picture", () => {
    expect(defaultSettings("cam").motion).toEqual({ enabled: true, sensitivity: 50, zones: [] });
  });

  it("come back with their defaults for a settings file written before motion detection existed", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "porthole-set-motion-"));
    dirs.push(dir);
    const old = { ...defaultSettings("cam"), motion: undefined };
    writeFileSync(path.join(dir, SETTINGS_FILE), JSON.stringify(old));
    expect(openSettingsStore(dir, defaultSettings("cam")).get().motion).toEqual({ enabled: true, sensitivity: 50, zones: [] });
  });

  it("change one field at a time and replace the zones as a whole", () => {
    const base = { ...defaultSettings("cam"), motion: { enabled: true, sensitivity: 50, zones: [{ x: 0, y: 0, w: 0.5, h: 0.5 }] } };
    expect(applySettingsPatch(base, { motion: { sensitivity: 80 } }).motion).toEqual({ enabled: true, sensitivity: 80, zones: [{ x: 0, y: 0, w: 0.5, h: 0.5 }] });
    expect(applySettingsPatch(base, { motion: { zones: [] } }).motion?.zones).toEqual([]);
  });

  it("refuse a zone that runs past the picture, naming it", () => {
    expect(() => applySettingsPatch(defaultSettings("cam"), { motion: { zones: [{ x: 0.2, y: 0.2, w: 0.3, h: 0.3 }, { x: 0.6, y: 0, w: 0.5, h: 1 }] } })).toThrow(
      expect.objectContaining({ code: "invalid_value", field: "motion.zones.1" }),
    );
    expect(() => applySettingsPatch(defaultSettings("cam"), { motion: { sensitivity: 0 } })).toThrow(expect.objectContaining({ field: "motion.sensitivity" }));
  });
});
