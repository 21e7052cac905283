import { describe, expect, it } from "vitest";
import type { DeviceSettings } from "../../../protocol/controls.ts";
import { applySettingsPatch, changedPaths, diffSettings, isEmptyPatch, rebaseDraft } from "./settings-patch.ts";

const BASE: DeviceSettings = {
  name: "Porch",
  timeZone: "UTC",
  audio: true,
  image: { flip: false, mirror: false, night: "auto" },
  quality: {
    sd: { width: 640, height: 360, fps: 15, bitrateKbps: 600 },
    hd: { width: 1280, height: 720, fps: 15, bitrateKbps: 1800 },
  },
  recording: { mode: "off", retentionMb: 1024 },
};
const edit = (fn: (s: DeviceSettings) => void): DeviceSettings => {
  const s = structuredClone(BASE);
  fn(s);
  return s;
};

describe("settings patch", () => {
  it("is empty when nothing changed", () => {
    const patch = diffSettings(BASE, structuredClone(BASE));
    expect(patch).toEqual({});
    expect(isEmptyPatch(patch)).toBe(true);
  });

  it("holds only the changed leaves, nested like the camera's patch", () => {
    const draft = edit((s) => {
      s.name = "Garage";
      s.image.night = "on";
      s.quality.hd.fps = 25;
    });
    const patch = diffSettings(BASE, draft);
    expect(patch).toEqual({ name: "Garage", image: { night: "on" }, quality: { hd: { fps: 25 } } });
    expect(isEmptyPatch(patch)).toBe(false);
    expect(changedPaths(patch)).toEqual(["name", "image.night", "quality.hd.fps"]);
  });

  it("sends a boolean turned off (false is a change, not an absence)", () => {
    expect(diffSettings(BASE, edit((s) => (s.audio = false)))).toEqual({ audio: false });
  });

  it("applies a patch without touching siblings", () => {
    const next = applySettingsPatch(BASE, { image: { flip: true }, quality: { sd: { bitrateKbps: 400 } } });
    expect(next.image).toEqual({ flip: true, mirror: false, night: "auto" });
    expect(next.quality.sd).toEqual({ width: 640, height: 360, fps: 15, bitrateKbps: 400 });
    expect(next.quality.hd).toBe(BASE.quality.hd);
    expect(BASE.image.flip).toBe(false);
  });

  it("keeps unsaved edits when the camera's settings change underneath, and takes the rest", () => {
    const draft = edit((s) => (s.name = "Garage"));
    // Another owner's tab turned night mode on and also renamed the camera.
    const remote = edit((s) => {
      s.image.night = "on";
      s.name = "Front door";
    });
    const rebased = rebaseDraft(BASE, remote, draft);
    expect(rebased.name).toBe("Garage");
    expect(rebased.image.night).toBe("on");
    expect(diffSettings(remote, rebased)).toEqual({ name: "Garage" });
    // With no edits the draft simply follows the camera.
    expect(rebaseDraft(BASE, remote, structuredClone(BASE))).toEqual(remote);
  });
});
