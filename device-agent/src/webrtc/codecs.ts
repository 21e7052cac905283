// Why: the codecs the device offers. H.264 is constrained baseline 3.1 (42e01f) in
// packetization-mode 1 (RFC 6184 §8.1) — what every browser decodes — plus VP8 (RFC 7741);
// the browser's answer picks one and the session subscribes to that stream.
import { useH264, useOPUS, useVP8, type RTCRtpCodecParameters } from "werift";
import type { VideoCodecName } from "../media/packet.ts";

export function videoCodecParameters(order: readonly VideoCodecName[]): RTCRtpCodecParameters[] {
  return order.map((c) =>
    c === "H264"
      ? useH264({ payloadType: 102, parameters: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f" })
      : useVP8({ payloadType: 96 }),
  );
}

/** Opus at 48 kHz, signalled as 2 channels as RFC 7587 §7 requires even for mono. */
export function audioCodecParameters(): RTCRtpCodecParameters[] {
  return [useOPUS({ payloadType: 111, parameters: "minptime=10;useinbandfec=1" })];
}

/** Maps a negotiated mime type ("video/H264") to the hub's codec name. */
export function codecFromMimeType(mime: string | undefined): VideoCodecName | "opus" | undefined {
  switch (mime?.toLowerCase()) {
    case "video/h264":
      return "H264";
    case "video/vp8":
      return "VP8";
    case "audio/opus":
      return "opus";
    default:
      return undefined;
  }
}
