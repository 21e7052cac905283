// Why: one interface for every camera input (shipped demo clip, ffmpeg test pattern, RTSP,
// V4L2) so sessions never care where RTP comes from.
import type { MediaPacket, VideoCodecName } from "./packet.ts";

export type PacketListener = (packet: MediaPacket) => void;

export interface MediaSource {
  /** Short description for `hello.agent.source` and logs (≤ 64 chars), e.g. "demo", "rtsp". */
  readonly description: string;
  /** Video codecs this source emits, in the device's preference order. */
  readonly videoCodecs: readonly VideoCodecName[];
  /** True when the source emits Opus audio. */
  readonly audio: boolean;
  /** Starts producing packets; rejects with an AgentError if the source cannot start. */
  start(): Promise<void>;
  /** Stops producing packets and releases processes/sockets. Idempotent. */
  stop(): Promise<void>;
  /** Subscribes to every packet of every codec; returns the unsubscribe function. */
  onPacket(listener: PacketListener): () => void;
  /** Subscribes to unrecoverable failures after start (e.g. ffmpeg gave up). */
  onFatal(listener: (error: Error) => void): () => void;
}

/** A tiny listener set, shared by the source implementations. */
export function createListeners<T extends unknown[]>(): {
  add(fn: (...args: T) => void): () => void;
  emit(...args: T): void;
  readonly size: number;
} {
  const set = new Set<(...args: T) => void>();
  return {
    add(fn) {
      set.add(fn);
      return () => set.delete(fn);
    },
    emit(...args) {
      for (const fn of [...set]) fn(...args);
    },
    get size() {
      return set.size;
    },
  };
}
