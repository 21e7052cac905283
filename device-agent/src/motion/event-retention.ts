// Why: events live on the camera's own flash, which is small and shared with recordings; a
// windy month must not fill it. The owner's limit is a count and an age: past either, the
// oldest events go (with their thumbnails). An event still going on is never deleted.

export interface RetentionLimits {
  maxCount: number;
  maxAgeMs: number;
}

/** 30 days or 2 000 events (≈ 2 000 × 20 KB SD thumbnails = 40 MB at most). */
export const DEFAULT_EVENT_RETENTION: RetentionLimits = { maxCount: 2_000, maxAgeMs: 30 * 24 * 3600_000 };

/** The ids of events to delete at `now`: older than maxAgeMs, then the oldest beyond maxCount. */
export function eventRetentionVictims(events: readonly { id: string; start: number; end: number | null }[], now: number, limits: RetentionLimits): string[] {
  const oldestFirst = [...events].sort((a, b) => a.start - b.start);
  const victims: string[] = [];
  let kept = oldestFirst.length;
  for (const e of oldestFirst) {
    if (e.end === null) continue;
    const tooOld = now - e.end > limits.maxAgeMs;
    if (!tooOld && kept <= limits.maxCount) break;
    victims.push(e.id);
    kept--;
  }
  return victims;
}
