// Why: unit tests drive the recorder with the shipped demo clip on a fake clock — the same
// packets the demo camera sends (RFC 6184 packetization, 20 ms Opus), but minutes of them in
// milliseconds of test time. Test support only: the agent uses media/media-hub.ts.
import { loadDemoClip } from "../../media/demo-source.ts";
import { createMediaHub, type MediaHub } from "../../media/media-hub.ts";
import { isIdrAccessUnit } from "../../media/annexb-reader.ts";
import { opusPacketSamples } from "../../media/ogg-opus-reader.ts";
import type { MediaPacket, VideoCodecName } from "../../media/packet.ts";
import { createListeners, type MediaSource } from "../../media/source.ts";
import { packetizeH264AccessUnit } from "../../rtp/h264-packetizer.ts";

export interface ClipHub {
  hub: MediaHub;
  now(): number;
  /** Emits every packet due in the next `ms` of fake time, in time order. */
  advance(ms: number): void;
  /** Makes the video RTP timestamps jump (a source restart). */
  jumpVideo(ticks: number): void;
}

export function createClipHub(o: { audio?: boolean; startWall?: number; videoTs?: number } = {}): ClipHub {
  const clip = loadDemoClip();
  const packets = createListeners<[MediaPacket]>();
  const audio = o.audio !== false;
  const source: MediaSource = {
    description: "clip",
    videoCodecs: ["H264"] as readonly VideoCodecName[],
    audio,
    start: async () => {},
    stop: async () => {},
    onPacket: (fn) => packets.add(fn),
    onFatal: () => () => {},
  };
  const hub = createMediaHub(source);
  const frameMs = 1000 / clip.fps;
  let wall = o.startWall ?? 1_764_000_000_000;
  const t0 = wall;
  let frame = 0;
  let videoTs = o.videoTs ?? 4_294_000_000; // close to 2^32: the wrap is exercised
  let audioIndex = 0;
  let audioTs = 123_456;
  let nextAudio = t0;
  return {
    hub,
    now: () => wall,
    jumpVideo(ticks) {
      videoTs += ticks;
    },
    advance(ms) {
      const until = wall + ms;
      for (;;) {
        const nextVideo = t0 + frame * frameMs;
        const next = audio ? Math.min(nextVideo, nextAudio) : nextVideo;
        if (next > until) break;
        wall = next;
        if (nextVideo <= (audio ? nextAudio : Infinity) || !audio) {
          const au = clip.h264[frame % clip.h264.length]!;
          const ts = (videoTs + Math.round(frame * (90_000 / clip.fps))) >>> 0;
          const payloads = packetizeH264AccessUnit(au);
          payloads.forEach((payload, i) =>
            packets.emit({ codec: "H264", payload, timestamp: ts, marker: i === payloads.length - 1, keyframeStart: isIdrAccessUnit(au) && i === 0 }),
          );
          frame++;
        } else {
          const payload = clip.opus[audioIndex++ % clip.opus.length]!;
          packets.emit({ codec: "opus", payload, timestamp: audioTs >>> 0, marker: false, keyframeStart: false });
          audioTs += opusPacketSamples(payload);
          nextAudio += 20;
        }
      }
      wall = until;
    },
  };
}
