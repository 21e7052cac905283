// Why: werift cannot make an encoder produce a keyframe on PLI, and ffmpeg/demo GOPs are long,
// so the agent keeps every packet since the last keyframe and replays it to a new viewer: its
// first frame decodes at once instead of after the next keyframe (stack notes: TTFF ~5× faster).
import type { MediaPacket } from "./packet.ts";

export interface KeyframeCacheOptions {
  /** Drop the cache (until the next keyframe) beyond this many packets — a replay that large is useless. */
  maxPackets?: number;
  /** Same, in payload bytes. */
  maxBytes?: number;
}

export interface KeyframeCache {
  push(packet: MediaPacket): void;
  /** Packets from the most recent keyframe start up to now; empty when none is usable. */
  snapshot(): MediaPacket[];
  clear(): void;
}

export function createKeyframeCache(options: KeyframeCacheOptions = {}): KeyframeCache {
  const maxPackets = options.maxPackets ?? 3000;
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  let packets: MediaPacket[] = [];
  let bytes = 0;
  // Until a keyframe starts the cache there is nothing a decoder could start from.
  let valid = false;
  return {
    push(packet) {
      if (packet.keyframeStart) {
        packets = [];
        bytes = 0;
        valid = true;
      }
      if (!valid) return;
      packets.push(packet);
      bytes += packet.payload.length;
      if (packets.length > maxPackets || bytes > maxBytes) {
        packets = [];
        bytes = 0;
        valid = false;
      }
    },
    snapshot() {
      return valid ? packets.slice() : [];
    },
    clear() {
      packets = [];
      bytes = 0;
      valid = false;
    },
  };
}
