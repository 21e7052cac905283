import { describe, expect, it } from "vitest";
import { lookFor, nightActive, NIGHT_LOOK } from "./image-look.ts";

describe("night look", () => {
  it("follows on/off, and auto by the hour in the camera's time zone", () => {
    const t = new Date("2026-06-01T20:30:00Z");
    expect(nightActive("on", t, "UTC")).toBe(true);
    expect(nightActive("off", t, "UTC")).toBe(false);
    expect(nightActive("auto", t, "UTC")).toBe(true);
    // 20:30 UTC is 06:30 the next morning in Sydney (AEST, UTC+10): still night.
    expect(nightActive("auto", t, "Australia/Sydney")).toBe(true);
    expect(nightActive("auto", new Date("2026-06-01T12:00:00Z"), "UTC")).toBe(false);
    expect(nightActive("auto", new Date("2026-06-01T12:00:00Z"), "Not/AZone")).toBe(false);
  });

  it("turns night into a grayscale, lifted picture", () => {
    expect(lookFor(true)).toBe(NIGHT_LOOK);
    expect(NIGHT_LOOK.saturation).toBe(0);
    expect(NIGHT_LOOK.gamma).toBeGreaterThan(1);
  });
});
