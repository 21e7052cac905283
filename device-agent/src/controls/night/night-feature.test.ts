import { describe, expect, it } from "vitest";
import type { DeviceSettings } from "../../../../protocol/index.ts";
import { silentLogger } from "../../log.ts";
import { fixedStream } from "../../webrtc/session-controls.ts";
import { createCameraControls } from "../camera-controls.ts";
import type { ControlSession } from "../control-session.ts";
import { defaultSettings } from "../settings/settings-store.ts";
import { nightFeature } from "./night-feature.ts";

/** A source whose night look the test flips, and settings the test changes (no file). */
function fakes(night: DeviceSettings["image"]["night"] = "auto") {
  let settings = { ...defaultSettings("Cam"), image: { flip: false, mirror: false, night } };
  let active = false;
  const sourceListeners = new Set<(a: boolean) => void>();
  const settingsListeners = new Set<(n: DeviceSettings, p: DeviceSettings) => void>();
  return {
    source: {
      nightActive: () => active,
      onNightChange(fn: (a: boolean) => void) {
        sourceListeners.add(fn);
        return () => void sourceListeners.delete(fn);
      },
    },
    settings: {
      get: () => settings,
      onChange(fn: (n: DeviceSettings, p: DeviceSettings) => void) {
        settingsListeners.add(fn);
        return () => void settingsListeners.delete(fn);
      },
    },
    flip(next: boolean) {
      active = next;
      for (const fn of sourceListeners) fn(next);
    },
    set(mode: DeviceSettings["image"]["night"], look: boolean) {
      const prev = settings;
      settings = { ...settings, image: { ...settings.image, night: mode } };
      // As in build-controls: the source applies the setting first, then others hear of it.
      this.flip(look);
      for (const fn of settingsListeners) fn(settings, prev);
    },
  };
}

const session = (events: { event: string; data: unknown }[]): ControlSession => ({
  sessionId: "s1",
  role: "viewer",
  label: "s1",
  emit: (event, data) => void events.push({ event, data }),
  async sendBulk() {},
  stream: fixedStream(),
});

describe("night feature", () => {
  it("answers night.state with the setting and whether the picture is in night mode now", async () => {
    const f = fakes("auto");
    const controls = createCameraControls([nightFeature(f)], silentLogger);
    const s = session([]);
    expect(await controls.handlers["night.state"]!({}, s)).toEqual({ mode: "auto", active: false });
    f.flip(true);
    expect(await controls.handlers["night.state"]!({}, s)).toEqual({ mode: "auto", active: true });
  });

  it("tells every viewer when the clock turns night mode on in auto, and once when the owner turns it off", () => {
    const f = fakes("auto");
    const controls = createCameraControls([nightFeature(f)], silentLogger);
    const events: { event: string; data: unknown }[] = [];
    controls.attach(session(events));
    f.flip(true);
    f.set("off", false);
    expect(events).toEqual([
      { event: "night.state", data: { mode: "auto", active: true } },
      { event: "night.state", data: { mode: "off", active: false } },
    ]);
  });

  it("says night mode is off on a source that cannot show it (the demo clip played as is)", async () => {
    const f = fakes("on");
    const controls = createCameraControls([nightFeature({ source: {}, settings: f.settings })], silentLogger);
    expect(await controls.handlers["night.state"]!({}, session([]))).toEqual({ mode: "on", active: false });
  });
});
