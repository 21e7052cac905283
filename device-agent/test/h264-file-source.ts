// Why: a real H.264 camera source for integration tests that need a picture with a known story
// (still, then moving, then still): ffmpeg encodes the clip, and this plays its access units as
// RTP packets in real time, exactly as the demo source does, with no audio or VP8. Played once;
// after the last frame the picture holds the last frame (repeated), like a camera seeing a
// still scene.
import { packetizeH264AccessUnit } from "../src/rtp/h264-packetizer.ts";
import { groupAccessUnits, isIdrAccessUnit, splitAnnexB } from "../src/media/annexb-reader.ts";
import { startFrameClock, type FrameClock } from "../src/media/frame-clock.ts";
import type { MediaPacket } from "../src/media/packet.ts";
import { createListeners, type MediaSource } from "../src/media/source.ts";

export function h264FileSource(annexB: Buffer, fps: number): MediaSource & { readonly startedAt: number } {
  const units = groupAccessUnits(splitAnnexB(annexB));
  const packets = createListeners<[MediaPacket]>();
  let clock: FrameClock | undefined;
  let startedAt = 0;
  const step = Math.round(90_000 / fps);
  // Past the end, the last GOP is replayed (its picture is the still last scene).
  const lastIdr = units.findLastIndex((u) => isIdrAccessUnit(u));
  const unitFor = (n: number) => (n < units.length ? units[n]! : units[lastIdr + ((n - units.length) % (units.length - lastIdr))]!);
  return {
    description: "h264-file",
    videoCodecs: ["H264"],
    audio: false,
    get startedAt() {
      return startedAt;
    },
    async start() {
      startedAt = Date.now();
      clock = startFrameClock(1000 / fps, (n) => {
        const au = unitFor(n);
        const key = isIdrAccessUnit(au);
        const payloads = packetizeH264AccessUnit(au);
        payloads.forEach((payload, i) =>
          packets.emit({ codec: "H264", payload, timestamp: (n * step) >>> 0, marker: i === payloads.length - 1, keyframeStart: key && i === 0 }),
        );
      });
    },
    async stop() {
      clock?.stop();
    },
    onPacket: (fn) => packets.add(fn),
    onFatal: () => () => {},
  };
}
