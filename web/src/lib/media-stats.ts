// Why: the viewer shows what it actually receives (resolution, frame rate, bitrate, codec)
// from the inbound-rtp video entry of getStats() (W3C webrtc-stats §8.3 RTCInboundRtpStreamStats).
import type { StatLike } from "./path-classification.ts";

export interface VideoStats {
  width: number | null;
  height: number | null;
  fps: number | null;
  /** Received bitrate since the previous sample, kbit/s. */
  kbps: number | null;
  /** e.g. "H264", "VP8". */
  codec: string | null;
  framesDecoded: number;
  bytesReceived: number;
  /** Stats timestamp (ms) of this sample, to compute the next bitrate. */
  timestamp: number;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Reads the video inbound-rtp entry; `prev` is the previous sample for the bitrate. */
export function readVideoStats(stats: Iterable<StatLike>, prev: VideoStats | null): VideoStats | null {
  const all = [...stats];
  const inbound = all.find((s) => s.type === "inbound-rtp" && (s["kind"] ?? s["mediaType"]) === "video");
  if (!inbound) return null;
  const bytesReceived = num(inbound["bytesReceived"]) ?? 0;
  const timestamp = num(inbound["timestamp"]) ?? 0;
  let kbps: number | null = null;
  if (prev && timestamp > prev.timestamp && bytesReceived >= prev.bytesReceived) {
    kbps = Math.round(((bytesReceived - prev.bytesReceived) * 8) / (timestamp - prev.timestamp));
  }
  const codecEntry = all.find((s) => s.id === inbound["codecId"]);
  const mime = typeof codecEntry?.["mimeType"] === "string" ? codecEntry["mimeType"] : null;
  const fps = num(inbound["framesPerSecond"]);
  return {
    width: num(inbound["frameWidth"]),
    height: num(inbound["frameHeight"]),
    fps: fps === null ? null : Math.round(fps),
    kbps,
    codec: mime ? (mime.split("/")[1] ?? mime) : null,
    framesDecoded: num(inbound["framesDecoded"]) ?? 0,
    bytesReceived,
    timestamp,
  };
}

/** "1280×720 · 30 fps · 1.2 Mbps · H264", leaving out what is unknown. */
export function formatVideoStats(v: VideoStats | null): string {
  if (!v) return "—";
  const parts: string[] = [];
  if (v.width && v.height) parts.push(`${v.width}×${v.height}`);
  if (v.fps !== null) parts.push(`${v.fps} fps`);
  if (v.kbps !== null) parts.push(v.kbps >= 1000 ? `${(v.kbps / 1000).toFixed(1)} Mbps` : `${v.kbps} kbps`);
  if (v.codec) parts.push(v.codec);
  return parts.length ? parts.join(" · ") : "—";
}

/**
 * Everything received on the peer connection so far, in bytes: the transport's count (media,
 * RTCP and data channels, not ICE checks; W3C webrtc-stats RTCTransportStats), or where a browser has no
 * transport entry, the inbound RTP streams'. Audio keeps this moving while video pauses, so it
 * only stands still when the path itself is dead.
 */
export function bytesReceivedTotal(stats: Iterable<StatLike>): number {
  const all = [...stats];
  const transports = all.filter((s) => s.type === "transport");
  const from = transports.length > 0 ? transports : all.filter((s) => s.type === "inbound-rtp");
  return from.reduce((sum, s) => sum + (num(s["bytesReceived"]) ?? 0), 0);
}
