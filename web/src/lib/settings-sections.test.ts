import { describe, expect, it } from "vitest";
import type { DeviceFeatures } from "../../../protocol/controls.ts";
import { settingsSections } from "./settings-sections.ts";

const features = (over: Partial<DeviceFeatures>): DeviceFeatures => ({ ptz: null, qualities: ["sd", "hd"], talk: false, snapshot: true, recording: true, ...over });

describe("settings sections", () => {
  it("enables what the camera offers", () => {
    const s = settingsSections(features({}));
    expect(s.quality).toEqual({ enabled: true, reason: null, profiles: { sd: true, hd: true } });
    expect(s.recording).toEqual({ enabled: true, reason: null });
  });

  it("disables a missing feature with the camera's own note about it", () => {
    const s = settingsSections(features({ recording: false, notes: ["Snapshots need ffmpeg on the camera host.", "Recording needs ffmpeg on the camera host (Debian package ffmpeg)."] }));
    expect(s.recording).toEqual({ enabled: false, reason: "Recording needs ffmpeg on the camera host (Debian package ffmpeg)." });
  });

  it("falls back to a plain reason when the camera gave none", () => {
    const s = settingsSections(features({ qualities: [], recording: false }));
    expect(s.quality.enabled).toBe(false);
    expect(s.quality.reason).toMatch(/stream profiles/);
    expect(s.recording.reason).toBe("This camera does not record.");
  });

  it("lets only the qualities the camera streams be edited", () => {
    expect(settingsSections(features({ qualities: ["sd"] })).quality.profiles).toEqual({ sd: true, hd: false });
  });

  it("enables the Picture section only when the camera applies picture settings, else gives its note", () => {
    expect(settingsSections(features({ image: true })).image).toEqual({ enabled: true, reason: null });
    const off = settingsSections(features({ notes: ["Flip, mirror and night mode need the processed pipeline (ffmpeg on the camera host)."] })).image;
    expect(off.enabled).toBe(false);
    expect(off.reason).toMatch(/ffmpeg/);
  });
});
