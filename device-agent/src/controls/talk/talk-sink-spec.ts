// Why: `--talk-sink` says where a talker's voice goes on the camera host; parsed once, purely, so
// a typo is a usage error at startup rather than silence at the first talk.

export type TalkSinkSpec =
  /** No output: talk is off (the hello says why). */
  | { kind: "none" }
  /** Ogg Opus files, one per talk burst, named after `path` (tests, voice-message style). */
  | { kind: "file"; path: string }
  /** The camera's speaker: ffmpeg decodes and plays on this ALSA device (e.g. "default", "hw:0"). */
  | { kind: "alsa"; device: string };

export const TALK_SINK_USAGE = "--talk-sink must be none, file:<path> or alsa:<device>";

/** Parses `none`, `file:<path>` or `alsa:<device>`; throws an Error with the usage text otherwise. */
export function parseTalkSinkSpec(text: string): TalkSinkSpec {
  if (text === "none") return { kind: "none" };
  if (text.startsWith("file:")) {
    const path = text.slice(5);
    if (!path || path.endsWith("/")) throw new Error(`${TALK_SINK_USAGE}: file: needs a file name, e.g. file:/var/lib/porthole/talk.opus`);
    return { kind: "file", path };
  }
  if (text.startsWith("alsa:")) {
    const device = text.slice(5);
    // ALSA PCM names: "default", "hw:0,0", "plughw:CARD=Device,DEV=0", "dmix"…
    if (!/^[\w.:,=-]{1,64}$/.test(device)) throw new Error(`${TALK_SINK_USAGE}: alsa: needs a device name, e.g. alsa:default or alsa:hw:0,0`);
    return { kind: "alsa", device };
  }
  throw new Error(`${TALK_SINK_USAGE}, got ${JSON.stringify(text)}`);
}
