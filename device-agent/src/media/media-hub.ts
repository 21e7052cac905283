// Why: the fan-out between one source and many sessions. It keeps a keyframe cache per video
// codec so each new subscriber gets a decodable start, then live packets.
import { createKeyframeCache, type KeyframeCache } from "./keyframe-cache.ts";
import type { MediaCodec, MediaPacket } from "./packet.ts";
import type { MediaSource, PacketListener } from "./source.ts";

export interface Subscription {
  /** Packets since the last keyframe (video only), oldest first; send these before live ones. */
  replay: MediaPacket[];
  unsubscribe(): void;
}

export interface MediaHub {
  readonly source: MediaSource;
  subscribe(codec: MediaCodec, listener: PacketListener): Subscription;
  /** Subscriber count per codec (tests and stats). */
  subscribers(codec: MediaCodec): number;
  close(): void;
}

export function createMediaHub(source: MediaSource): MediaHub {
  const caches = new Map<MediaCodec, KeyframeCache>();
  const listeners = new Map<MediaCodec, Set<PacketListener>>();
  for (const codec of source.videoCodecs) caches.set(codec, createKeyframeCache());
  const off = source.onPacket((packet) => {
    caches.get(packet.codec)?.push(packet);
    const set = listeners.get(packet.codec);
    if (!set) return;
    for (const fn of [...set]) {
      // One session's bug must never starve the others.
      try {
        fn(packet);
      } catch {
        /* the session reports its own errors */
      }
    }
  });
  return {
    source,
    subscribe(codec, listener) {
      let set = listeners.get(codec);
      if (!set) listeners.set(codec, (set = new Set()));
      set.add(listener);
      const replay = caches.get(codec)?.snapshot() ?? [];
      return {
        replay,
        unsubscribe: () => {
          set.delete(listener);
        },
      };
    },
    subscribers(codec) {
      return listeners.get(codec)?.size ?? 0;
    },
    close() {
      off();
      listeners.clear();
      for (const c of caches.values()) c.clear();
    },
  };
}
