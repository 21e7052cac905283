// Why: the pure rules behind the recordings timeline and player: where a time sits on the bar,
// which segment plays at a clicked time, which to fetch next (pull model: stay ~10 s ahead), and
// how recording time maps to the <video>'s media time (one epoch per MediaSource).
import type { RecordingSegment } from "../../../protocol/controls.ts";

export interface TimeWindow {
  /** Unix ms. */
  from: number;
  to: number;
}

export const TIMELINE_RANGES = [
  { id: "15m", label: "15 min", ms: 15 * 60_000 },
  { id: "1h", label: "1 h", ms: 3_600_000 },
  { id: "6h", label: "6 h", ms: 6 * 3_600_000 },
  { id: "24h", label: "24 h", ms: 24 * 3_600_000 },
] as const;

export const PLAYBACK_SPEEDS = [0.5, 1, 2, 4] as const;

/** Fetch the next segment while less than this is buffered ahead of the playhead. */
export const FETCH_AHEAD_MS = 10_000;
/** Segments closer than this are drawn as one bar (they are back to back). */
const JOIN_GAP_MS = 1_000;

/** The last `rangeMs` up to `now`. */
export function timelineWindow(now: number, rangeMs: number): TimeWindow {
  return { from: now - rangeMs, to: now };
}

/** Position of `t` on the bar, 0…1 (clamped). */
export function timeToFraction(t: number, w: TimeWindow): number {
  if (w.to <= w.from) return 0;
  return Math.min(1, Math.max(0, (t - w.from) / (w.to - w.from)));
}

/** Time at position `f` (0…1) of the bar. */
export function fractionToTime(f: number, w: TimeWindow): number {
  return w.from + Math.min(1, Math.max(0, f)) * (w.to - w.from);
}

export interface TimelineBar {
  start: number;
  end: number;
  /** Fractions of the bar width. */
  left: number;
  width: number;
}

/** Recorded spans inside the window, back-to-back segments joined into one bar. */
export function timelineBars(segments: readonly RecordingSegment[], w: TimeWindow): TimelineBar[] {
  const spans: Array<{ start: number; end: number }> = [];
  for (const s of [...segments].sort((a, b) => a.start - b.start)) {
    if (s.end <= w.from || s.start >= w.to) continue;
    const last = spans.at(-1);
    if (last && s.start - last.end < JOIN_GAP_MS) last.end = Math.max(last.end, s.end);
    else spans.push({ start: s.start, end: s.end });
  }
  return spans.map((s) => {
    const left = timeToFraction(s.start, w);
    return { ...s, left, width: timeToFraction(s.end, w) - left };
  });
}

/** The segment to play for a time: the one recording it, else the next one after it. */
export function segmentAt(segments: readonly RecordingSegment[], t: number): { segment: RecordingSegment; at: number } | null {
  const sorted = [...segments].sort((a, b) => a.start - b.start);
  const inside = sorted.find((s) => s.start <= t && t < s.end);
  if (inside) return { segment: inside, at: t };
  const next = sorted.find((s) => s.start > t);
  return next ? { segment: next, at: next.start } : null;
}

/**
 * The next segment to fetch: when less than FETCH_AHEAD_MS is buffered past the playhead, the
 * first segment not loaded yet that ends after the buffered end. Null when nothing is needed.
 */
export function nextSegmentToFetch(
  segments: readonly RecordingSegment[],
  loaded: ReadonlySet<string>,
  playhead: number,
  bufferedEnd: number,
  aheadMs = FETCH_AHEAD_MS,
): RecordingSegment | null {
  if (bufferedEnd - playhead >= aheadMs) return null;
  const from = Math.max(playhead, bufferedEnd);
  return [...segments].sort((a, b) => a.start - b.start).find((s) => s.end > from + 1 && !loaded.has(s.id)) ?? null;
}

/** Recording time → the <video>'s media time, seconds after `epoch`. */
export const mediaTime = (wall: number, epoch: number): number => (wall - epoch) / 1000;
/** The <video>'s media time → recording time. */
export const wallTime = (media: number, epoch: number): number => epoch + media * 1000;

const TICK_STEPS = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000];

/** Round-time tick marks (at most `max`), e.g. every 15 min on a 1 h bar. */
export function timelineTicks(w: TimeWindow, max = 6, tzOffsetMs = 0): number[] {
  const span = w.to - w.from;
  const step = TICK_STEPS.find((s) => span / s <= max) ?? TICK_STEPS.at(-1)!;
  const first = Math.ceil((w.from + tzOffsetMs) / step) * step - tzOffsetMs;
  const out: number[] = [];
  for (let t = first; t <= w.to; t += step) out.push(t);
  return out;
}

/** "14:05" (or "14:05:09" with seconds) in the viewer's local time. */
export function formatClock(t: number, seconds = false): string {
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}${seconds ? `:${two(d.getSeconds())}` : ""}`;
}
