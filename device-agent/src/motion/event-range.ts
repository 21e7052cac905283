// Why: the timeline asks "what happened between these times" and pages backwards from now; the
// newest events come first and a page is capped so one reply fits the data channel.
import type { MotionEvent } from "../../../protocol/index.ts";

/** Events overlapping [from, to] (an open one runs until now), newest first, at most `limit`. */
export function eventsInRange(all: readonly MotionEvent[], from: number, to: number, limit: number): { events: MotionEvent[]; more: boolean } {
  const hits = all.filter((e) => e.start <= to && (e.end ?? Infinity) >= from).sort((a, b) => b.start - a.start);
  return { events: hits.slice(0, limit), more: hits.length > limit };
}
