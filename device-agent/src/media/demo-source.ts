// Why: a camera for demos and tests with no ffmpeg at run time — the shipped clip (VP8 IVF,
// H.264 Annex B, Ogg Opus) is parsed and packetized here and looped forever, with RTP
// timestamps that keep increasing across loops so receivers see one continuous stream.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AgentError } from "../errors.ts";
import { packetizeH264AccessUnit } from "../rtp/h264-packetizer.ts";
import { packetizeVp8Frame } from "../rtp/vp8-packetizer.ts";
import { groupAccessUnits, isIdrAccessUnit, splitAnnexB } from "./annexb-reader.ts";
import { startFrameClock, type FrameClock } from "./frame-clock.ts";
import { isVp8Keyframe, parseIvf } from "./ivf-reader.ts";
import { opusPacketSamples, parseOggOpus } from "./ogg-opus-reader.ts";
import type { MediaPacket, VideoCodecName } from "./packet.ts";
import { createListeners, type MediaSource } from "./source.ts";

export const DEFAULT_DEMO_DIR = fileURLToPath(new URL("../../assets/demo/", import.meta.url));

export interface DemoClip {
  fps: number;
  vp8: Buffer[];
  h264: Buffer[][];
  opus: Buffer[];
}

/** Reads and parses the shipped clip; both video tracks must have the same frame count. */
export function loadDemoClip(dir = DEFAULT_DEMO_DIR): DemoClip {
  const read = (name: string): Buffer => {
    try {
      return readFileSync(dir + "/" + name);
    } catch (cause) {
      throw AgentError.assetInvalid(name, `cannot read demo asset in ${dir}: ${(cause as Error).message}`);
    }
  };
  let ivf;
  try {
    ivf = parseIvf(read("demo.vp8.ivf"));
  } catch (e) {
    throw e instanceof AgentError ? e : AgentError.assetInvalid("demo.vp8.ivf", (e as Error).message);
  }
  const h264 = groupAccessUnits(splitAnnexB(read("demo.h264")));
  let opus: Buffer[];
  try {
    opus = parseOggOpus(read("demo.opus.ogg")).packets;
  } catch (e) {
    throw e instanceof AgentError ? e : AgentError.assetInvalid("demo.opus.ogg", (e as Error).message);
  }
  const vp8 = ivf.frames.map((f) => f.data);
  if (vp8.length === 0 || vp8.length !== h264.length) {
    throw AgentError.assetInvalid("demo", `VP8 has ${vp8.length} frames, H.264 ${h264.length}; they must match`);
  }
  if (!isVp8Keyframe(vp8[0]!) || !isIdrAccessUnit(h264[0]!)) {
    throw AgentError.assetInvalid("demo", "the clip must start with a keyframe in both codecs");
  }
  const fps = ivf.scale > 0 ? ivf.rate / ivf.scale : 15;
  return { fps, vp8, h264, opus };
}

export interface DemoSourceOptions {
  dir?: string;
  /** Turn off audio (the clip always has it). */
  audio?: boolean;
  random?: () => number;
}

export function createDemoSource(options: DemoSourceOptions = {}): MediaSource {
  const clip = loadDemoClip(options.dir);
  const random = options.random ?? Math.random;
  const audio = options.audio !== false && clip.opus.length > 0;
  const packets = createListeners<[MediaPacket]>();
  const fatal = createListeners<[Error]>();
  const videoStep = Math.round(90_000 / clip.fps);
  // RFC 3550 §5.1: random initial timestamps.
  const videoBase = Math.floor(random() * 0x7fffffff);
  let audioTs = Math.floor(random() * 0x7fffffff);
  const clocks: FrameClock[] = [];
  const emit = (p: MediaPacket): void => packets.emit(p);

  const sendVideoFrame = (n: number): void => {
    const index = n % clip.vp8.length;
    const timestamp = (videoBase + n * videoStep) >>> 0;
    const vp8Frame = clip.vp8[index]!;
    const vp8Key = isVp8Keyframe(vp8Frame);
    const vp8 = packetizeVp8Frame(vp8Frame, n);
    vp8.forEach((payload, i) =>
      emit({ codec: "VP8", payload, timestamp, marker: i === vp8.length - 1, keyframeStart: vp8Key && i === 0 }),
    );
    const au = clip.h264[index]!;
    const h264Key = isIdrAccessUnit(au);
    const h264 = packetizeH264AccessUnit(au);
    h264.forEach((payload, i) =>
      emit({ codec: "H264", payload, timestamp, marker: i === h264.length - 1, keyframeStart: h264Key && i === 0 }),
    );
  };

  let opusIndex = 0;
  const sendAudio = (): void => {
    const payload = clip.opus[opusIndex % clip.opus.length]!;
    opusIndex++;
    emit({ codec: "opus", payload, timestamp: audioTs >>> 0, marker: opusIndex === 1, keyframeStart: false });
    audioTs += opusPacketSamples(payload);
  };

  const videoCodecs: readonly VideoCodecName[] = ["H264", "VP8"];
  return {
    description: "demo",
    videoCodecs,
    audio,
    async start() {
      if (clocks.length > 0) return;
      clocks.push(startFrameClock(1000 / clip.fps, sendVideoFrame));
      // The shipped clip uses 20 ms Opus frames (make-demo-assets.sh -frame_duration 20).
      if (audio) clocks.push(startFrameClock(20, () => sendAudio()));
    },
    async stop() {
      for (const c of clocks.splice(0)) c.stop();
    },
    onPacket: (fn) => packets.add(fn),
    onFatal: (fn) => fatal.add(fn),
  };
}
