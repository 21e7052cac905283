// Why: one interface for every camera input (shipped demo clip, ffmpeg test pattern, RTSP,
// V4L2) so sessions never care where RTP comes from.
import type { DeviceSettings, PtzPosition, Quality, QualityProfile } from "../../../protocol/index.ts";
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

  // The processed (ffmpeg) pipeline's extras; a source without them has one quality, no PTZ.
  /** Stream qualities this source can produce; absent = ["sd"]. */
  readonly qualities?: readonly Quality[];
  /** A quality's current profile (resolution, fps, bitrate). */
  profile?(quality: Quality): QualityProfile;
  /**
   * The hub reports live video subscribers per quality and the codecs they use, so an
   * unwatched quality (or codec of an on-demand quality) is not encoded.
   */
  setDemand?(quality: Quality, subscribers: number, codecs: readonly VideoCodecName[]): void;
  /** Virtual PTZ: shows this part of the picture (a crop window), applied without a restart. */
  setView?(position: PtzPosition): void;
  /** Image and quality settings (flip, mirror, night, profiles); called before start too. */
  applySettings?(settings: DeviceSettings): void;
  /** Whether the night look is on the picture now ("auto" follows the clock). */
  nightActive?(): boolean;
  /** Told when the night look goes on or off; returns the unsubscribe function. */
  onNightChange?(listener: (active: boolean) => void): () => void;
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
