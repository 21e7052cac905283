import { describe, expect, it } from "vitest";
import { looksLikeJpeg, readJpegInfo } from "./jpeg-info.ts";

const seg = (marker: number, body: number[]): number[] => {
  const len = body.length + 2;
  return [0xff, marker, len >> 8, len & 0xff, ...body];
};
const sof = (marker: number, width: number, height: number): number[] =>
  seg(marker, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
const APP0 = seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
const DQT = seg(0xdb, [0, ...Array.from({ length: 64 }, () => 1)]);
const DHT = seg(0xc4, [0, ...Array.from({ length: 16 }, () => 0)]);
const SOS = seg(0xda, [1, 1, 0, 0, 63, 0]);
const jpeg = (...parts: number[][]) => Uint8Array.from([0xff, 0xd8, ...parts.flat(), 0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd9]);

describe("JPEG frame header reader", () => {
  it("reads width and height from a baseline SOF0 after APP0, DQT and DHT segments", () => {
    expect(readJpegInfo(jpeg(APP0, DQT, DHT, sof(0xc0, 640, 360), SOS))).toEqual({ width: 640, height: 360, sof: 0xc0 });
  });

  it("reads a progressive SOF2 and sizes above 255 in both bytes", () => {
    expect(readJpegInfo(jpeg(APP0, sof(0xc2, 1920, 1080), SOS))).toEqual({ width: 1920, height: 1080, sof: 0xc2 });
  });

  it("does not take DHT (C4), which sits in the SOF marker range, for a frame header", () => {
    // A DHT body whose bytes would read as 0x0000 x 0x0000 if misparsed, then the real SOF.
    expect(readJpegInfo(jpeg(DHT, sof(0xc0, 320, 240), SOS))?.width).toBe(320);
  });

  it("skips fill bytes before a marker", () => {
    const withFill = jpeg(APP0, [0xff, 0xff], sof(0xc0, 160, 90), SOS);
    // The fill byte pair becomes FF FF FF C0: two fills then the marker.
    expect(readJpegInfo(withFill)).toEqual({ width: 160, height: 90, sof: 0xc0 });
  });

  it("returns null for data that is not a JPEG, is cut short, or has scan data before a frame header", () => {
    expect(readJpegInfo(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toBeNull();
    expect(readJpegInfo(new Uint8Array(0))).toBeNull();
    const full = jpeg(APP0, sof(0xc0, 640, 360), SOS);
    expect(readJpegInfo(full.subarray(0, 2 + APP0.length + 6))).toBeNull();
    expect(readJpegInfo(jpeg(APP0, SOS, sof(0xc0, 640, 360)))).toBeNull();
    expect(readJpegInfo(jpeg(APP0, sof(0xc0, 640, 0), SOS))).toBeNull();
    // A segment length that runs past the end.
    expect(readJpegInfo(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x40, 0x00, 1, 2]))).toBeNull();
  });

  it("recognises a whole JPEG by its SOI and EOI markers", () => {
    const full = jpeg(APP0, sof(0xc0, 640, 360), SOS);
    expect(looksLikeJpeg(full)).toBe(true);
    expect(looksLikeJpeg(full.subarray(0, full.length - 1))).toBe(false);
    expect(looksLikeJpeg(Uint8Array.from([0xff, 0xd8]))).toBe(false);
  });
});
