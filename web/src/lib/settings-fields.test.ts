import { describe, expect, it } from "vitest";
import { errorSlot, parseWholeNumber, sizeOptions, timeZoneOptions } from "./settings-fields.ts";

describe("settings fields", () => {
  it("puts the camera's refusal next to the control the owner used", () => {
    expect(errorSlot("quality.sd.width")).toBe("quality.sd.size");
    expect(errorSlot("quality.hd.height")).toBe("quality.hd.size");
    expect(errorSlot("quality.hd.fps")).toBe("quality.hd.fps");
    expect(errorSlot("quality.sd.bitrateKbps")).toBe("quality.sd.bitrateKbps");
    expect(errorSlot("timeZone")).toBe("timeZone");
    expect(errorSlot("recording.retentionMb")).toBe("recording.retentionMb");
    expect(errorSlot("image.night")).toBe("image.night");
  });

  it("shows errors about unknown or missing fields with the whole form", () => {
    expect(errorSlot(undefined)).toBe("general");
    expect(errorSlot("settings")).toBe("general");
    expect(errorSlot("quality.uhd.width")).toBe("general");
  });

  it("offers the browser's time zones plus the camera's own and UTC, sorted", () => {
    expect(timeZoneOptions(["Europe/Berlin", "America/New_York"], "Etc/GMT+5")).toEqual(["America/New_York", "Etc/GMT+5", "Europe/Berlin", "UTC"]);
    expect(timeZoneOptions(["UTC"], "UTC")).toEqual(["UTC"]);
  });

  it("offers common resolutions and keeps a camera's unusual one in size order", () => {
    const opts = sizeOptions({ width: 1024, height: 576 });
    const keys = opts.map((o) => o.key);
    expect(keys).toContain("1280x720");
    expect(keys.indexOf("1024x576")).toBe(keys.indexOf("960x540") + 1);
    expect(sizeOptions({ width: 640, height: 360 }).filter((o) => o.key === "640x360")).toHaveLength(1);
  });

  it("reads whole numbers only", () => {
    expect(parseWholeNumber(" 25 ")).toBe(25);
    expect(parseWholeNumber("")).toBeNull();
    expect(parseWholeNumber("2.5")).toBeNull();
    expect(parseWholeNumber("-3")).toBeNull();
    expect(parseWholeNumber("12ab")).toBeNull();
  });
});
