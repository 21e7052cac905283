// Why: the talk feature's public face: build-controls turns the agent's --talk-sink into the
// feature with one call; the agent wires received audio through the bus.
import type { Logger } from "../../log.ts";
import { ffmpegAvailable } from "../../media/ffmpeg-source.ts";
import type { FeatureFactory } from "../camera-controls.ts";
import { alsaDeviceOpens, createAlsaTalkSink } from "./ffmpeg-pipe-sink.ts";
import { createFileTalkSink } from "./file-sink.ts";
import type { TalkAudioBus } from "./talk-audio-bus.ts";
import { talkFeature } from "./talk-feature.ts";
import type { TalkSink } from "./talk-sink.ts";
import type { TalkSinkSpec } from "./talk-sink-spec.ts";

export { createTalkAudioBus, type TalkAudioBus } from "./talk-audio-bus.ts";
export { parseTalkSinkSpec, TALK_SINK_USAGE, type TalkSinkSpec } from "./talk-sink-spec.ts";
export type { TalkRtp } from "./opus-rtp-timeline.ts";
export { talkFeature } from "./talk-feature.ts";

/** The sink for a spec, or null with the reason the owner reads in the camera's feature notes. */
export function createTalkSink(
  spec: TalkSinkSpec,
  logger: Logger,
  host: { hasFfmpeg(): boolean; alsaOpens(device: string): boolean } = { hasFfmpeg: () => ffmpegAvailable(), alsaOpens: (d) => alsaDeviceOpens(d) },
): { sink: TalkSink | null; note?: string } {
  switch (spec.kind) {
    case "none":
      return { sink: null, note: "Talk is off: the camera has no audio output configured (--talk-sink)." };
    case "file":
      return { sink: createFileTalkSink({ path: spec.path, logger }) };
    case "alsa":
      if (!host.hasFfmpeg()) return { sink: null, note: "Talk needs ffmpeg on the camera host to play sound (install ffmpeg)." };
      if (!host.alsaOpens(spec.device)) return { sink: null, note: `Talk is off: the camera's audio output (ALSA ${spec.device}) could not be opened.` };
      return { sink: createAlsaTalkSink({ device: spec.device, logger }) };
  }
}

/** The talk feature for the agent's config; off (with a note) without a sink or an audio path. */
export function talkFeatureFor(spec: TalkSinkSpec | undefined, audio: TalkAudioBus | undefined, logger: Logger): FeatureFactory {
  const { sink, note } = audio ? createTalkSink(spec ?? { kind: "none" }, logger) : { sink: null, note: "Talk is off: this agent receives no audio." };
  return talkFeature({ sink, ...(note ? { note } : {}), audio: audio ?? { deliver() {}, listen: () => () => {} } });
}
