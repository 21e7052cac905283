// Why: a MediaSource for unit tests of the hub and the feeds: packets are emitted by hand, and
// the demand the hub reports (setDemand) is recorded.
import type { Quality } from "../../protocol/index.ts";
import type { MediaPacket } from "../src/media/packet.ts";
import { createListeners, type MediaSource } from "../src/media/source.ts";

export function fakeSource(qualities?: readonly Quality[]) {
  const packets = createListeners<[MediaPacket]>();
  const demand: string[] = [];
  const source: MediaSource = {
    description: "fake",
    videoCodecs: ["H264", "VP8"],
    audio: true,
    ...(qualities ? { qualities, profile: (q: Quality) => ({ width: q === "hd" ? 1280 : 640, height: q === "hd" ? 720 : 360, fps: 15, bitrateKbps: 600 }) } : {}),
    setDemand: (q, n, codecs) => void demand.push(`${q}=${n}${codecs.length ? ` ${codecs.join("+")}` : ""}`),
    async start() {},
    async stop() {},
    onPacket: (fn) => packets.add(fn),
    onFatal: () => () => {},
  };
  const emit = (p: Partial<MediaPacket> & { timestamp: number }): void =>
    packets.emit({ codec: "H264", payload: Buffer.from([p.timestamp & 0xff]), marker: true, keyframeStart: false, ...p });
  return { source, emit, demand };
}

