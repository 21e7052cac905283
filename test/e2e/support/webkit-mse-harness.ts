// Why: the recordings player needs segments from the camera's data channel, which WebKitGTK
// (no WebRTC) can never open. This page entry runs the PWA's own MsePlayer in WebKit with
// segments served over plain HTTP instead, so ManagedMediaSource — what iPhone Safari has —
// is exercised in a real WebKit engine. Bundled by webkit-playback.e2e.test.ts with vite.
import { mediaSourceCtor, type MediaSourceGlobals } from "../../../web/src/lib/media-source.ts";
import type { MediaSourceKind } from "../../../web/src/lib/browser-support.ts";
import { MsePlayer, type PlayerStatus } from "../../../web/src/ui/controls/mse-playback.ts";

export interface HarnessSegment {
  url: string;
  /** Unix ms, as in a recordings listing. */
  start: number;
  end: number;
}

export interface HarnessStart {
  /** The constructor the player was given (its class name in this engine). */
  mediaSource: string;
  disableRemotePlayback: boolean;
  /** The ManagedMediaSource's `streaming` once open (null for a plain MediaSource). */
  streaming: boolean | null;
}

export interface HarnessProgress {
  currentTime: number;
  paused: boolean;
  statuses: PlayerStatus[];
  errors: string[];
  fetched: string[];
  buffered: [number, number][];
}

declare global {
  interface Window {
    __harness?: {
      /** holdStreaming: the managed source says `streaming: false` until release() (as Safari does on a slow link). */
      start(kind: MediaSourceKind, segments: HarnessSegment[], mime: string, at: number, holdStreaming?: boolean): Promise<HarnessStart>;
      /** Ends the hold: `streaming` is the engine's own again, and startstreaming fires. */
      release(): void;
      seek(at: number): Promise<void>;
      progress(): HarnessProgress;
    };
  }
}

let player: MsePlayer | null = null;
let video: HTMLVideoElement | null = null;
const statuses: PlayerStatus[] = [];
const errors: string[] = [];
const fetched: string[] = [];
/** Every MediaSource the player made (through the subclass below), newest last. */
const sources: MediaSource[] = [];
let held = false;

window.__harness = {
  async start(kind, segments, mime, at, holdStreaming = false) {
    held = holdStreaming;
    const base = mediaSourceCtor(kind, window as unknown as MediaSourceGlobals);
    if (!base) throw new Error(`${kind} is missing in this browser`);
    // The same constructor, remembering what it made (isTypeSupported is inherited).
    const ctor = class extends base {
      constructor() {
        super();
        sources.push(this);
      }
      get streaming(): boolean | undefined {
        const own = Object.getOwnPropertyDescriptor(base.prototype, "streaming")?.get?.call(this) as boolean | undefined;
        return held ? false : own;
      }
    };
    video = document.createElement("video");
    video.muted = true;
    video.playsInline = true;
    document.body.append(video);
    player = new MsePlayer(
      video,
      async (s) => {
        fetched.push(s.id);
        const res = await fetch(s.id);
        return { bytes: new Uint8Array(await res.arrayBuffer()), mime };
      },
      {
        onStatus: (s, message) => {
          statuses.push(s);
          if (message) errors.push(message);
        },
        onTime: () => undefined,
      },
      { ctor, managed: kind === "ManagedMediaSource" },
    );
    player.setSegments(segments.map((s) => ({ id: s.url, start: s.start, end: s.end, bytes: 0 })));
    await player.playAt(at);
    const ms = sources.at(-1) as (MediaSource & { streaming?: boolean }) | undefined;
    return {
      mediaSource: ms ? Object.getPrototypeOf(ms.constructor).name : "none",
      disableRemotePlayback: video.disableRemotePlayback,
      streaming: ms?.streaming ?? null,
    };
  },
  release() {
    held = false;
    sources.at(-1)?.dispatchEvent(new Event("startstreaming"));
  },
  async seek(at) {
    await player?.playAt(at);
  },
  progress() {
    const b = video?.buffered;
    const buffered: [number, number][] = [];
    for (let i = 0; b && i < b.length; i++) buffered.push([b.start(i), b.end(i)]);
    return { currentTime: video?.currentTime ?? 0, paused: video?.paused ?? true, statuses: [...statuses], errors: [...errors], fetched: [...fetched], buffered };
  },
};
