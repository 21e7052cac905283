import { describe, expect, it } from "vitest";
import { bytesReceivedTotal, formatVideoStats, readVideoStats } from "./media-stats.ts";
import type { StatLike } from "./path-classification.ts";

const sample = (bytes: number, timestamp: number): StatLike[] => [
  { id: "IT1", type: "inbound-rtp", kind: "video", bytesReceived: bytes, timestamp, frameWidth: 1280, frameHeight: 720, framesPerSecond: 29.7, framesDecoded: 90, codecId: "C1" },
  { id: "IT2", type: "inbound-rtp", kind: "audio", bytesReceived: 999, timestamp },
  { id: "C1", type: "codec", mimeType: "video/H264" },
];

describe("readVideoStats", () => {
  it("reads resolution, frame rate and codec from the video inbound-rtp entry", () => {
    expect(readVideoStats(sample(1000, 1000), null)).toMatchObject({ width: 1280, height: 720, fps: 30, codec: "H264", kbps: null, framesDecoded: 90 });
  });

  it("computes the bitrate from the previous sample", () => {
    const first = readVideoStats(sample(100_000, 1000), null);
    expect(readVideoStats(sample(250_000, 2000), first)?.kbps).toBe(1200);
  });

  it("returns null when no video is received", () => {
    expect(readVideoStats([{ id: "T", type: "transport" }], null)).toBeNull();
  });
});

describe("formatVideoStats", () => {
  it("joins what is known", () => {
    const v = readVideoStats(sample(250_000, 2000), readVideoStats(sample(100_000, 1000), null));
    expect(formatVideoStats(v)).toBe("1280×720 · 30 fps · 1.2 Mbps · H264");
    expect(formatVideoStats(null)).toBe("—");
  });
});

describe("bytesReceivedTotal", () => {
  it("counts the transport's bytes (media, RTCP, data), not one stream's", () => {
    const stats = [
      { type: "transport", id: "T1", bytesReceived: 5000 },
      { type: "inbound-rtp", id: "V", kind: "video", bytesReceived: 3000 },
      { type: "inbound-rtp", id: "A", kind: "audio", bytesReceived: 1500 },
    ];
    expect(bytesReceivedTotal(stats)).toBe(5000);
  });

  it("falls back to the inbound RTP streams where a browser has no transport entry", () => {
    expect(bytesReceivedTotal([{ type: "inbound-rtp", id: "V", bytesReceived: 3000 }, { type: "inbound-rtp", id: "A", bytesReceived: 1500 }])).toBe(4500);
    expect(bytesReceivedTotal([])).toBe(0);
  });
});
