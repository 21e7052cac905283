import { describe, expect, it } from "vitest";
import { CONTROL_METHODS, DeviceSettingsPatchSchema, DeviceSettingsSchema, parseEvent, parseParams } from "./controls.ts";
import { missingMethodCapability } from "./data-channel.ts";

const settings = {
  name: "cam",
  timeZone: "UTC",
  audio: true,
  image: { flip: false, mirror: false, night: "auto" },
  quality: { sd: { width: 640, height: 360, fps: 15, bitrateKbps: 600 }, hd: { width: 1280, height: 720, fps: 15, bitrateKbps: 1800 } },
  recording: { mode: "off", retentionMb: 1024 },
};

describe("motion events on the data channel", () => {
  it("lets viewers and owners list events and fetch thumbnails, not guests or access-code watchers", () => {
    for (const m of ["events.list", "events.thumbnail"]) {
      expect(missingMethodCapability("owner", m)).toBe(null);
      expect(missingMethodCapability("viewer", m)).toBe(null);
      expect(missingMethodCapability("guest", m)).toBe("playback");
      expect(missingMethodCapability("code", m)).toBe("playback");
    }
  });

  it("validates events.list params: a time range and an optional limit of at most 500", () => {
    expect(parseParams("events.list", { from: 1, to: 2 }).ok).toBe(true);
    expect(parseParams("events.list", { from: 1, to: 2, limit: 50 }).ok).toBe(true);
    expect(parseParams("events.list", { from: 1, to: 2, limit: 501 })).toMatchObject({ ok: false, error: { field: "limit" } });
    expect(parseParams("events.list", { from: 1 })).toMatchObject({ ok: false, error: { field: "to" } });
  });

  it("accepts only event ids the edge would accept too (no paths)", () => {
    expect(parseParams("events.thumbnail", { id: "mmitvfhqw-5e80b8" }).ok).toBe(true);
    expect(parseParams("events.thumbnail", { id: "../settings" }).ok).toBe(false);
  });

  it("reads an event pushed while it is open (no end, no thumbnail yet)", () => {
    const data = { id: "m1-abcdef", kind: "motion", start: 1, end: null, thumbnail: null, recording: null };
    expect(parseEvent({ type: "event", event: "motion.event", data })).toEqual({ event: "motion.event", data });
    expect(CONTROL_METHODS["events.list"].result.safeParse({ events: [data], more: false }).success).toBe(true);
  });

  it("keeps settings without motion valid (older agents) and checks motion settings when present", () => {
    expect(DeviceSettingsSchema.safeParse(settings).success).toBe(true);
    expect(DeviceSettingsSchema.safeParse({ ...settings, motion: { enabled: true, sensitivity: 50, zones: [{ x: 0.1, y: 0.1, w: 0.5, h: 0.5 }] } }).success).toBe(true);
    expect(DeviceSettingsSchema.safeParse({ ...settings, motion: { enabled: true, sensitivity: 0, zones: [] } }).success).toBe(false);
    expect(DeviceSettingsPatchSchema.safeParse({ motion: { sensitivity: 80 } }).success).toBe(true);
    expect(DeviceSettingsPatchSchema.safeParse({ motion: { zones: [{ x: 0, y: 0, w: 0, h: 1 }] } }).success).toBe(false);
  });
});
