import { describe, expect, it } from "vitest";
import { nalToRbsp, parseSps } from "./h264-sps.ts";

const hex = (s: string): Buffer => Buffer.from(s, "hex");

describe("parseSps", () => {
  it("reads the demo clip's constrained-baseline SPS as 640x360, avc1.42c01f", () => {
    const sps = parseSps(hex("6742c01fd900a02ff970110000030001000003001e8f183248"));
    expect(sps).toMatchObject({ width: 640, height: 360, profileIdc: 66, levelIdc: 31, codec: "avc1.42c01f" });
  });

  it("applies frame cropping in a High profile SPS (1088 coded rows → 1080)", () => {
    const sps = parseSps(hex("67640028acd940780227e5c044000003000400000300c83c60c658"));
    expect(sps).toMatchObject({ width: 1920, height: 1080, codec: "avc1.640028" });
  });

  it("doubles the height of field-coded (interlaced) pictures", () => {
    expect(parseSps(hex("674d4020eca02805df97011000000300100000030321f162d960"))).toMatchObject({ width: 1280, height: 720 });
  });

  it("refuses a PPS or a truncated SPS with an error instead of a bogus size", () => {
    expect(() => parseSps(hex("68ebe3cb22c0"))).toThrow(/not an SPS/);
    expect(() => parseSps(hex("6742c01fd9"))).toThrow(/truncated/);
  });

  it("removes emulation-prevention bytes", () => {
    expect([...nalToRbsp(hex("0000030100000302"))]).toEqual([0, 0, 1, 0, 0, 2]);
  });
});
