// Why: bench:agent compares two senders on the same RTP. A synthetic H.264-shaped stream (frame
// sizes from a bitrate, a bigger keyframe every GOP, payloads cut at ffmpeg's pkt_size=1200)
// costs nothing to produce, is identical for werift and the native reference, and needs no
// ffmpeg. The viewers never decode it: the agent's cost per viewer is per packet and per byte,
// not per picture.
import type { MediaPacket } from "../device-agent/src/media/packet.ts";

export interface VideoProfile {
  kbps: number;
  fps: number;
  /** Frames per GOP (one keyframe each). */
  gop: number;
}

/** SD as the camera's default profile (pipeline-args: 600 kbps); HD ≈ 2 Mbps. */
export const PROFILES: Record<"sd" | "hd", VideoProfile> = {
  sd: { kbps: 600, fps: 15, gop: 30 },
  hd: { kbps: 2000, fps: 15, gop: 30 },
};

/** RTP payload bytes per packet: ffmpeg's pkt_size=1200 minus the 12-byte RTP header. */
export const MAX_PAYLOAD = 1188;
/** A keyframe is this many times a P-frame (typical of libx264 baseline at these rates). */
const KEYFRAME_WEIGHT = 6;

/** Starts emitting `profile` as MediaPackets in real time; returns stop(). */
export function startSyntheticVideo(profile: VideoProfile, emit: (p: MediaPacket) => void): () => void {
  const gopBytes = (profile.kbps * 125 * profile.gop) / profile.fps;
  const unit = gopBytes / (KEYFRAME_WEIGHT + profile.gop - 1);
  const pool = Buffer.alloc(64 * 1024);
  for (let i = 0; i < pool.length; i++) pool[i] = (i * 2654435761) >>> 24;
  const t0 = performance.now();
  let frame = 0;
  let timestamp = 0x1234_5678;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    const key = frame % profile.gop === 0;
    let left = Math.round(key ? unit * KEYFRAME_WEIGHT : unit);
    let first = true;
    let offset = (frame * 997) % (pool.length - MAX_PAYLOAD);
    while (left > 0) {
      const size = Math.min(MAX_PAYLOAD, left);
      left -= size;
      // FU-A indicator (RFC 6184 §5.8), so the stream at least looks like packetized H.264.
      const payload = Buffer.from(pool.subarray(offset, offset + size));
      payload[0] = 0x7c;
      offset = (offset + 131) % (pool.length - MAX_PAYLOAD);
      emit({ codec: "H264", payload, timestamp, marker: left === 0, keyframeStart: key && first });
      first = false;
    }
    frame++;
    timestamp = (timestamp + 90_000 / profile.fps) >>> 0;
    // Drift-free: the next frame at its own due time, not 1/fps after this one ran.
    const due = t0 + (frame * 1000) / profile.fps;
    timer = setTimeout(tick, Math.max(0, due - performance.now()));
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
