// Why: the pure rules over the list of finished segments: which overlap a viewer's time range,
// and which to delete so the recordings stay within the owner's size limit (oldest first).
import type { RecordingSegment } from "../../../../protocol/index.ts";

/** Most segments one listing returns (the protocol's cap); the newest are kept. */
export const MAX_LISTED_SEGMENTS = 5000;

/** Segments overlapping [from, to] (ms), oldest first, at most `max` (the newest ones). */
export function segmentsInRange(all: readonly RecordingSegment[], from: number, to: number, max = MAX_LISTED_SEGMENTS): RecordingSegment[] {
  const hits = all.filter((s) => s.end > from && s.start < to).sort((a, b) => a.start - b.start);
  return hits.length > max ? hits.slice(hits.length - max) : hits;
}

/**
 * The oldest finished segments to delete so that finished + `activeBytes` (the segment being
 * written) fit in `limitBytes`. The active segment itself is never deleted.
 */
export function retentionVictims(all: readonly RecordingSegment[], limitBytes: number, activeBytes = 0): RecordingSegment[] {
  const oldestFirst = [...all].sort((a, b) => a.start - b.start);
  let total = activeBytes + oldestFirst.reduce((s, x) => s + x.bytes, 0);
  const victims: RecordingSegment[] = [];
  for (const s of oldestFirst) {
    if (total <= limitBytes) break;
    victims.push(s);
    total -= s.bytes;
  }
  return victims;
}
