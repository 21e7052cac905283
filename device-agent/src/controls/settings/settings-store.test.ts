import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ControlFailure } from "../control-failure.ts";
import { defaultSettings, openSettingsStore, SETTINGS_FILE } from "./settings-store.ts";

const dir = () => mkdtempSync(path.join(tmpdir(), "porthole-settings-"));

describe("settings store", () => {
  it("starts from defaults and keeps an update across a reopen (restart)", () => {
    const d = dir();
    const a = openSettingsStore(d, defaultSettings("Porch"));
    expect(a.get().name).toBe("Porch");
    a.update({ name: "Garage", image: { flip: true }, quality: { hd: { fps: 25 } } });
    const b = openSettingsStore(d, defaultSettings("Porch"));
    expect(b.get()).toMatchObject({ name: "Garage", image: { flip: true, mirror: false }, quality: { hd: { fps: 25, width: 1280 } } });
  });

  it("refuses a bad value naming the field, and changes nothing", () => {
    const s = openSettingsStore(dir(), defaultSettings("Porch"));
    const before = s.get();
    const fail = (patch: unknown, field: string) => {
      let err: unknown;
      try {
        s.update(patch as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ControlFailure);
      expect((err as ControlFailure).code).toBe("invalid_value");
      expect((err as ControlFailure).field).toBe(field);
    };
    fail({ timeZone: "Mars/Olympus" }, "timeZone");
    fail({ quality: { hd: { fps: 500 } } }, "quality.hd.fps");
    fail({ quality: { sd: { width: 1920, height: 1080 } } }, "quality.sd.width");
    fail({ reboot: true }, "settings");
    expect(s.get()).toEqual(before);
  });

  it("tells listeners about a change with the previous value", () => {
    const s = openSettingsStore(dir(), defaultSettings("Porch"));
    const seen: string[] = [];
    s.onChange((next, prev) => seen.push(`${prev.image.night}->${next.image.night}`));
    s.update({ image: { night: "on" } });
    expect(seen).toEqual(["auto->on"]);
  });

  it("boots with defaults when the file is corrupt, keeping the bad file aside", () => {
    const d = dir();
    writeFileSync(path.join(d, SETTINGS_FILE), "{ not json");
    const reasons: string[] = [];
    const s = openSettingsStore(d, defaultSettings("Porch"), (r) => reasons.push(r));
    expect(s.get().name).toBe("Porch");
    expect(reasons).toHaveLength(1);
    expect(readdirSync(d).some((f) => f.startsWith(`${SETTINGS_FILE}.corrupt-`))).toBe(true);
    s.update({ audio: false });
    expect(JSON.parse(readFileSync(path.join(d, SETTINGS_FILE), "utf8")).audio).toBe(false);
  });
});
