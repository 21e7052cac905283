// Why: turns a stream of per-frame motion scores into events a person would call one thing
// happening. Hysteresis keeps an event open through a pause (someone stops at the door), a
// minimum length drops a single flicker (a bird, a compression glitch), a maximum cuts a windy
// tree into a few events instead of one endless one, and a cooldown after each event keeps a
// tree from starting a new one every few seconds. Pure: time is passed in, so it is tested
// without waiting.

export interface CutterOptions {
  /** Score at or above which a frame moves (motionThreshold of the sensitivity). */
  threshold: number;
  /** Once an event runs, frames at or above threshold × this still count as moving (hysteresis). */
  keepRatio?: number;
  /** Motion must go on this long (first to latest moving frame) before an event starts. */
  minMotionMs?: number;
  /** A gap longer than this between moving frames drops motion that has not started an event. */
  gapMs?: number;
  /** An event ends after this long with no moving frame. */
  quietMs?: number;
  /** An event is cut at this length (it may start again after the cooldown). */
  maxEventMs?: number;
  /** No new event starts within this after one ended. */
  cooldownMs?: number;
}

export const CUTTER_DEFAULTS = {
  keepRatio: 0.5,
  minMotionMs: 400,
  gapMs: 1_000,
  quietMs: 3_000,
  maxEventMs: 120_000,
  cooldownMs: 5_000,
} as const;

export type CutterAction =
  | { type: "start"; start: number }
  /** `end` is the last moving frame (not the moment the quiet time ran out). */
  | { type: "end"; start: number; end: number };

export interface EventCutter {
  /** One frame's score at time `at` (ms, non-decreasing). */
  push(score: number, at: number): CutterAction[];
  /** Frames stopped coming (source gone, detector stopped): ends an open event at its last motion. */
  finish(): CutterAction[];
  /** The open event's start, or null. */
  readonly open: number | null;
}

export function createEventCutter(options: CutterOptions): EventCutter {
  const o = { ...CUTTER_DEFAULTS, ...options };
  /** First and latest moving frame of motion not yet an event. */
  let pending: { first: number; last: number } | null = null;
  let event: { start: number; last: number } | null = null;
  let coolUntil = -Infinity;

  const end = (): CutterAction[] => {
    if (!event) return [];
    const done: CutterAction = { type: "end", start: event.start, end: event.last };
    coolUntil = event.last + o.cooldownMs;
    event = null;
    pending = null;
    return [done];
  };

  return {
    get open() {
      return event?.start ?? null;
    },
    push(score, at) {
      if (event) {
        if (score >= o.threshold * o.keepRatio) event.last = at;
        if (at - event.last > o.quietMs) return end();
        if (event.last - event.start >= o.maxEventMs) return end();
        return [];
      }
      if (at < coolUntil || score < o.threshold) {
        if (pending && (at < coolUntil || at - pending.last > o.gapMs)) pending = null;
        return [];
      }
      if (!pending || at - pending.last > o.gapMs) pending = { first: at, last: at };
      else pending.last = at;
      if (pending.last - pending.first < o.minMotionMs) return [];
      event = { start: pending.first, last: pending.last };
      pending = null;
      return [{ type: "start", start: event.start }];
    },
    finish: end,
  };
}
