// Why: recordings play through Media Source Extensions, and iPhone Safari has them only as
// ManagedMediaSource (iOS 17.1+, W3C MSE 2 §4 "ManagedMediaSource"). It differs in three ways
// the player must honour: it attaches only to a <video> with disableRemotePlayback set (AirPlay
// cannot carry an MSE stream); it says when fetching more is welcome (`streaming`, with
// startstreaming/endstreaming events — false on a slow or metered link, or when buffered enough);
// and the browser may evict buffered media itself (bufferedchange on its SourceBuffers).
import type { MediaSourceKind } from "./browser-support.ts";
import { mediaTime } from "./playback-timeline.ts";

/** A MediaSource or ManagedMediaSource constructor (static isTypeSupported, W3C MSE §3.5). */
export interface MediaSourceCtor {
  new (): MediaSource;
  isTypeSupported(type: string): boolean;
}

export interface MediaSourceGlobals {
  MediaSource?: MediaSourceCtor;
  ManagedMediaSource?: MediaSourceCtor;
}

export interface AttachableVideo {
  src: string;
  disableRemotePlayback: boolean;
}

export interface OpenedMediaSource {
  ms: MediaSource;
  url: string;
  managed: boolean;
}

/** The constructor for `kind`, or null when this browser lacks it. */
export function mediaSourceCtor(kind: MediaSourceKind | null, globals: MediaSourceGlobals): MediaSourceCtor | null {
  return (kind && globals[kind]) || null;
}

/**
 * Creates the MediaSource of `kind` and attaches it to `video`. For ManagedMediaSource,
 * disableRemotePlayback is set first: without it Safari never fires sourceopen.
 */
export function openMediaSource(ctor: MediaSourceCtor, managed: boolean, video: AttachableVideo, createUrl: (ms: MediaSource) => string): OpenedMediaSource {
  const ms = new ctor();
  if (managed) video.disableRemotePlayback = true;
  const url = createUrl(ms);
  video.src = url;
  return { ms, url, managed };
}

/**
 * May the player fetch ahead now? A ManagedMediaSource that says `streaming: false` asks us to
 * stop; a plain MediaSource has no such signal (always yes).
 */
export function mayFetchAhead(ms: { streaming?: boolean } | null, managed: boolean): boolean {
  if (!ms) return false;
  return !managed || ms.streaming !== false;
}

/** TimeRanges as the buffered attribute gives them. */
export interface Ranges {
  length: number;
  start(i: number): number;
  end(i: number): number;
}

/** Slack for rounding at a segment's edges (fMP4 fragments rarely end exactly on the listing's ms). */
const EDGE_S = 0.5;

/**
 * The loaded segments no longer (fully) buffered: a managed source may evict media on its own,
 * and a segment we still believe loaded would never be fetched again.
 */
export function evictedSegments(segments: readonly { id: string; start: number; end: number }[], loaded: ReadonlySet<string>, buffered: Ranges, epoch: number): string[] {
  const out: string[] = [];
  for (const s of segments) {
    if (!loaded.has(s.id)) continue;
    const from = mediaTime(s.start, epoch);
    const to = mediaTime(s.end, epoch);
    let covered = false;
    for (let i = 0; i < buffered.length; i++) {
      if (buffered.start(i) <= from + EDGE_S && buffered.end(i) >= to - EDGE_S) covered = true;
    }
    if (!covered) out.push(s.id);
  }
  return out;
}
