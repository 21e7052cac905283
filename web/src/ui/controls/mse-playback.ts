// Why: recorded video plays from fMP4 segments the camera sends over the P2P data channel, fed to
// Media Source Extensions in a second <video> next to the live one. We chose MSE over a second
// WebRTC video track: the camera sends the stored bytes as they are (no re-encode, no second RTP
// stream to pace), pause/seek/speed are the <video>'s own (currentTime, playbackRate) instead of
// a control protocol, and live view is untouched because it is another element and stream.
// Pull model: the player fetches the next segment when less than ~10 s is buffered ahead; a seek
// to a segment not loaded fetches that one. Media time = (recording time - epoch) / 1000, with one
// epoch per MediaSource, and each segment appended with timestampOffset = its start (each file
// starts at decode time 0), so gaps between recordings are gaps in the buffer we jump over.
// iPhone Safari has only ManagedMediaSource: see lib/media-source.ts for what that changes.
import type { RecordingSegment } from "../../../../protocol/controls.ts";
import { evictedSegments, mayFetchAhead, openMediaSource, type MediaSourceCtor } from "../../lib/media-source.ts";
import { mediaTime, nextSegmentToFetch, segmentAt, wallTime } from "../../lib/playback-timeline.ts";

export interface FetchedSegment {
  bytes: Uint8Array;
  mime: string;
}

/** Which Media Source Extensions to use (lib/media-source.ts → mediaSourceCtor). */
export interface MediaSourceChoice {
  ctor: MediaSourceCtor;
  /** ManagedMediaSource (iPhone): remote playback off, streaming events, browser evictions. */
  managed: boolean;
}

export type PlayerStatus = "idle" | "loading" | "playing" | "paused" | "waiting" | "ended" | "error";

export interface PlayerEvents {
  onStatus(status: PlayerStatus, message?: string): void;
  /** The playhead in recording time (Unix ms), ~4× per second while playing. */
  onTime(wall: number): void;
}

/** Keep at most this much already-played media in the SourceBuffer (memory on phones). */
const KEEP_BEHIND_S = 60;
const PUMP_MS = 250;
/** Closer than this to a buffered range's end counts as "at the end" (jump the gap). */
const GAP_EPSILON_S = 0.25;

export class MsePlayer {
  private readonly video: HTMLVideoElement;
  private readonly fetchSegment: (s: RecordingSegment) => Promise<FetchedSegment>;
  private readonly events: PlayerEvents;
  private readonly source: MediaSourceChoice;
  private segments: RecordingSegment[] = [];
  private ms: MediaSource | null = null;
  private url: string | null = null;
  private sb: SourceBuffer | null = null;
  private mime: string | null = null;
  private epoch = 0;
  private readonly loaded = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private fetching = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private destroyed = false;
  private generation = 0;
  private rate = 1;

  constructor(video: HTMLVideoElement, fetchSegment: (s: RecordingSegment) => Promise<FetchedSegment>, events: PlayerEvents, source: MediaSourceChoice) {
    this.video = video;
    this.source = source;
    this.fetchSegment = fetchSegment;
    this.events = events;
    video.addEventListener("playing", () => this.events.onStatus("playing"));
    video.addEventListener("pause", () => !this.destroyed && this.events.onStatus(this.atEnd() ? "ended" : "paused"));
    video.addEventListener("waiting", () => this.events.onStatus("waiting"));
  }

  /** The listing changed (new segments recorded, old ones deleted). */
  setSegments(segments: readonly RecordingSegment[]): void {
    this.segments = [...segments].sort((a, b) => a.start - b.start);
  }

  get epochMs(): number {
    return this.epoch;
  }

  /** Plays from recording time `wall` (or the next recording after it). */
  async playAt(wall: number): Promise<void> {
    const hit = segmentAt(this.segments, wall);
    if (!hit) throw new Error("Nothing was recorded at or after this time.");
    const gen = ++this.generation;
    this.events.onStatus("loading");
    // A segment before the epoch would get a negative media time: start a fresh MediaSource.
    if (!this.ms || hit.segment.start < this.epoch) await this.reset(this.segments[0]?.start ?? hit.segment.start);
    if (!this.loaded.has(hit.segment.id)) await this.load(hit.segment);
    if (gen !== this.generation || this.destroyed) return;
    this.video.currentTime = mediaTime(hit.at, this.epoch) + 0.001;
    this.video.playbackRate = this.rate;
    this.startPump();
    await this.video.play().catch((e: Error) => this.events.onStatus("paused", e.message));
  }

  pause(): void {
    this.video.pause();
  }

  async resume(): Promise<void> {
    if (this.atEnd()) return;
    await this.video.play().catch(() => undefined);
  }

  setRate(rate: number): void {
    this.rate = rate;
    this.video.playbackRate = rate;
  }

  /** Seeks by `deltaS` seconds within the recordings. */
  async skip(deltaS: number): Promise<void> {
    if (!this.ms) return;
    await this.playAt(wallTime(this.video.currentTime + deltaS, this.epoch));
  }

  destroy(): void {
    this.destroyed = true;
    if (this.timer) clearInterval(this.timer);
    this.video.pause();
    this.video.removeAttribute("src");
    this.video.load();
    if (this.url) URL.revokeObjectURL(this.url);
    this.ms = null;
    this.sb = null;
  }

  private atEnd(): boolean {
    const last = this.segments.at(-1);
    return !!last && this.loaded.has(last.id) && this.video.currentTime >= mediaTime(last.end, this.epoch) - GAP_EPSILON_S;
  }

  private async reset(epoch: number): Promise<void> {
    if (this.url) URL.revokeObjectURL(this.url);
    this.loaded.clear();
    this.sb = null;
    this.mime = null;
    this.epoch = epoch;
    const { ms, url } = openMediaSource(this.source.ctor, this.source.managed, this.video, (m) => URL.createObjectURL(m));
    this.ms = ms;
    this.url = url;
    // A managed source that wants data again: fetch ahead at once instead of at the next tick.
    if (this.source.managed) ms.addEventListener("startstreaming", () => void this.pump());
    await new Promise<void>((resolve) => ms.addEventListener("sourceopen", () => resolve(), { once: true }));
  }

  /** Fetches a segment and appends it (serialized with other appends). */
  private load(seg: RecordingSegment): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.loaded.has(seg.id) || this.destroyed || !this.ms) return;
      const { bytes, mime } = await this.fetchSegment(seg);
      if (this.destroyed || !this.ms) return;
      if (!this.source.ctor.isTypeSupported(mime)) throw new Error(`This browser cannot play the recording (${mime}).`);
      if (!this.sb) {
        this.sb = this.ms.addSourceBuffer(mime);
        this.sb.mode = "segments";
        if (this.source.managed) this.watchEvictions(this.sb);
        this.mime = mime;
      } else if (mime !== this.mime) {
        this.sb.changeType(mime); // the camera's stream changed profile between segments
        this.mime = mime;
      }
      await this.evict();
      this.sb.timestampOffset = mediaTime(seg.start, this.epoch);
      await this.update((sb) => sb.appendBuffer(bytes as Uint8Array<ArrayBuffer>));
      this.loaded.add(seg.id);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private update(fn: (sb: SourceBuffer) => void): Promise<void> {
    const sb = this.sb!;
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        sb.removeEventListener("updateend", done);
        sb.removeEventListener("error", fail);
        resolve();
      };
      const fail = () => {
        sb.removeEventListener("updateend", done);
        sb.removeEventListener("error", fail);
        reject(new Error("The browser could not decode this recording."));
      };
      sb.addEventListener("updateend", done);
      sb.addEventListener("error", fail);
      fn(sb);
    });
  }

  /** Drops media well behind the playhead (and forgets those segments, to refetch if needed). */
  private async evict(): Promise<void> {
    const sb = this.sb;
    const t = this.video.currentTime;
    if (!sb || sb.buffered.length === 0 || sb.buffered.start(0) >= t - 2 * KEEP_BEHIND_S) return;
    const cut = t - KEEP_BEHIND_S;
    await this.update((b) => b.remove(0, cut));
    for (const s of this.segments) if (mediaTime(s.end, this.epoch) <= cut) this.loaded.delete(s.id);
  }

  /** A managed source may drop buffered media itself: forget those segments so they are fetched again. */
  private watchEvictions(sb: SourceBuffer): void {
    sb.addEventListener("bufferedchange", (ev) => {
      const removed = (ev as Event & { removedRanges?: TimeRanges }).removedRanges;
      if (this.sb !== sb || !removed || removed.length === 0) return;
      for (const id of evictedSegments(this.segments, this.loaded, sb.buffered, this.epoch)) this.loaded.delete(id);
    });
  }

  /** End of the buffered range holding media time `t` (t itself when not buffered). */
  private bufferedEnd(t: number): number {
    const b = this.video.buffered;
    for (let i = 0; i < b.length; i++) if (b.start(i) - GAP_EPSILON_S <= t && t < b.end(i)) return b.end(i);
    return t;
  }

  private startPump(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.pump(), PUMP_MS);
  }

  private async pump(): Promise<void> {
    if (this.destroyed || !this.ms) return;
    const t = this.video.currentTime;
    this.events.onTime(wallTime(t, this.epoch));
    const end = this.bufferedEnd(t);
    // At the end of a buffered range with a later one ready: jump the gap between recordings.
    if (!this.video.paused && end - t < GAP_EPSILON_S) {
      const b = this.video.buffered;
      for (let i = 0; i < b.length; i++) {
        if (b.start(i) > t + 0.01) {
          this.video.currentTime = b.start(i) + 0.001;
          break;
        }
      }
    }
    if (this.atEnd() && !this.video.paused) {
      this.video.pause();
      this.events.onStatus("ended");
    }
    // Fetch ahead only while a managed source allows it (its `streaming`); a plain one always does.
    if (this.fetching || !mayFetchAhead(this.ms as MediaSource & { streaming?: boolean }, this.source.managed)) return;
    const next = nextSegmentToFetch(this.segments, this.loaded, wallTime(t, this.epoch), wallTime(end, this.epoch));
    if (!next) return;
    this.fetching = true;
    try {
      await this.load(next);
    } catch (e) {
      this.events.onStatus("error", (e as Error).message);
    } finally {
      this.fetching = false;
    }
  }
}
