// Why: the fan-out between one source and many sessions. Streams are keyed by (codec, quality):
// each video stream keeps a keyframe cache so a new subscriber gets a decodable start, then
// live packets. The hub tells the source how many watch each quality, so an unwatched quality
// is not encoded at all.
import type { Quality } from "../../../protocol/index.ts";
import { createKeyframeCache, type KeyframeCache } from "./keyframe-cache.ts";
import type { MediaCodec, MediaPacket } from "./packet.ts";
import type { MediaSource, PacketListener } from "./source.ts";

export interface Subscription {
  /** Packets since the last keyframe (video only), oldest first; send these before live ones. */
  replay: MediaPacket[];
  unsubscribe(): void;
}

export interface SubscribeOptions {
  /** Default "sd": every session starts there (warm keyframe cache, fast first frame). */
  quality?: Quality;
  /** Skip the keyframe replay (a quality switch waits for the next live keyframe instead). */
  replay?: boolean;
}

export interface MediaHub {
  readonly source: MediaSource;
  /** Qualities the source produces, first = default. */
  readonly qualities: readonly Quality[];
  subscribe(codec: MediaCodec, listener: PacketListener, options?: SubscribeOptions): Subscription;
  /** Packets since the last keyframe of one stream right now (empty: none cached). */
  snapshot(codec: MediaCodec, quality?: Quality): MediaPacket[];
  /** Subscriber count per codec (and quality; default all qualities) — tests and stats. */
  subscribers(codec: MediaCodec, quality?: Quality): number;
  close(): void;
}

export const DEFAULT_QUALITY: Quality = "sd";

const keyOf = (codec: MediaCodec, quality: Quality): string => (codec === "opus" ? "opus" : `${codec}/${quality}`);

export function createMediaHub(source: MediaSource): MediaHub {
  const caches = new Map<string, KeyframeCache>();
  const listeners = new Map<string, Set<PacketListener>>();
  const qualities = source.qualities && source.qualities.length > 0 ? source.qualities : [DEFAULT_QUALITY];
  for (const codec of source.videoCodecs) for (const q of qualities) caches.set(keyOf(codec, q), createKeyframeCache());

  /** Video subscribers of one quality, over all codecs: what the source needs to encode. */
  const demand = (quality: Quality): number => {
    let n = 0;
    for (const codec of source.videoCodecs) n += listeners.get(keyOf(codec, quality))?.size ?? 0;
    return n;
  };
  const report = (codec: MediaCodec, quality: Quality): void => {
    if (codec === "opus") return;
    const codecs = source.videoCodecs.filter((c) => (listeners.get(keyOf(c, quality))?.size ?? 0) > 0);
    try {
      source.setDemand?.(quality, demand(quality), codecs);
    } catch {
      /* the source logs its own failures */
    }
  };

  const off = source.onPacket((packet) => {
    const key = keyOf(packet.codec, packet.quality ?? DEFAULT_QUALITY);
    caches.get(key)?.push(packet);
    const set = listeners.get(key);
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
    qualities,
    subscribe(codec, listener, options = {}) {
      const quality = options.quality ?? DEFAULT_QUALITY;
      const key = keyOf(codec, quality);
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set()));
      set.add(listener);
      report(codec, quality);
      const replay = options.replay === false ? [] : (caches.get(key)?.snapshot() ?? []);
      let done = false;
      return {
        replay,
        unsubscribe: () => {
          if (done) return;
          done = true;
          set.delete(listener);
          report(codec, quality);
        },
      };
    },
    snapshot(codec, quality = DEFAULT_QUALITY) {
      return caches.get(keyOf(codec, quality))?.snapshot() ?? [];
    },
    subscribers(codec, quality) {
      if (quality) return listeners.get(keyOf(codec, quality))?.size ?? 0;
      let n = 0;
      for (const [k, set] of listeners) if (k === codec || k.startsWith(`${codec}/`)) n += set.size;
      return n;
    },
    close() {
      off();
      listeners.clear();
      for (const c of caches.values()) c.clear();
    },
  };
}
