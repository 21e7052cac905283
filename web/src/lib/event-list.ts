// Why: a camera's motion events as the PWA shows them — pages from events.list and live
// motion.event pushes arrive in any order and name the same event several times (started, got
// its picture, ended), so the list is merged here, pure, and tested without a camera.
import type { MotionEvent } from "../../../protocol/controls.ts";

/** Events asked for per page (the first one and each "Load older"). */
export const EVENTS_PAGE_SIZE = 20;
/** The first page covers this far back; older ones come with "Load older". */
export const EVENTS_RECENT_MS = 24 * 3_600_000;
/** How far back the camera keeps events (event-retention.ts on the agent: 30 days). */
export const EVENTS_KEPT_MS = 30 * 24 * 3_600_000;
/** A recorded event plays from this long before it started: what led up to it. */
export const PLAY_LEAD_MS = 2_000;

/**
 * One event's two reports as one: an event only ever gains facts (an end, a picture, a longer
 * recorded span), so whichever report has a field set wins it, whatever order they came in.
 */
export function mergeEvent(a: MotionEvent, b: MotionEvent): MotionEvent {
  const rec = a.recording && b.recording ? { from: Math.min(a.recording.from, b.recording.from), to: Math.max(a.recording.to, b.recording.to) } : (b.recording ?? a.recording);
  return {
    ...a,
    ...b,
    end: b.end !== null && a.end !== null ? Math.max(a.end, b.end) : (b.end ?? a.end),
    thumbnail: b.thumbnail ?? a.thumbnail,
    recording: rec,
  };
}

/** `kept` and `incoming` as one list: one entry per id, newest start first. */
export function mergeEvents(kept: readonly MotionEvent[], incoming: readonly MotionEvent[]): MotionEvent[] {
  const byId = new Map<string, MotionEvent>();
  for (const e of [...kept, ...incoming]) {
    const had = byId.get(e.id);
    byId.set(e.id, had ? mergeEvent(had, e) : e);
  }
  return [...byId.values()].sort((x, y) => y.start - x.start || (x.id < y.id ? 1 : -1));
}

/**
 * The events.list params for the page after `events` (the protocol: ask again with `to` = the
 * oldest start returned); null when the camera said there is no more.
 */
export function olderPageParams(events: readonly MotionEvent[], more: boolean, limit = EVENTS_PAGE_SIZE): { from: number; to: number; limit: number } | null {
  if (!more || events.length === 0) return null;
  const oldest = Math.min(...events.map((e) => e.start));
  return { from: 0, to: oldest, limit };
}

/** Where playback of a recorded event starts (wall clock), or null when it was not recorded. */
export function playFromTime(e: MotionEvent, leadMs = PLAY_LEAD_MS): number | null {
  if (!e.recording) return null;
  return Math.max(0, e.start - leadMs);
}

/** "ongoing", "3 s", "1 min 5 s", "2 min". */
export function durationLabel(e: MotionEvent): string {
  if (e.end === null) return "ongoing";
  const s = Math.max(1, Math.round((e.end - e.start) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * When an event started, as a list shows it: "14:03:12" today, "Yesterday 14:03", else
 * "Mon 3 Dec 14:03". `tzOffsetMs` is the viewer's offset from UTC (east positive) so tests do
 * not depend on the machine's zone.
 */
export function eventTimeLabel(start: number, now: number, tzOffsetMs: number): string {
  const local = new Date(start + tzOffsetMs);
  const day = (t: number): number => Math.floor((t + tzOffsetMs) / 86_400_000);
  const hm = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  const ago = day(now) - day(start);
  if (ago <= 0) return `${hm}:${pad(local.getUTCSeconds())}`;
  if (ago === 1) return `Yesterday ${hm}`;
  const wd = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][local.getUTCDay()];
  const mo = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][local.getUTCMonth()];
  return `${wd} ${local.getUTCDate()} ${mo} ${hm}`;
}

/**
 * The start time an event id carries, when the camera wrote it the Porthole agent's way
 * (`m<start in base 36>-<random>`, device-agent event-store.ts): a notification's link names only
 * the id, and this finds the event with one small events.list around its time. Null otherwise
 * (then the whole kept history is searched).
 */
export function eventStartFromId(id: string): number | null {
  const m = /^m([0-9a-z]{1,12})-/.exec(id);
  if (!m) return null;
  const t = parseInt(m[1]!, 36);
  return Number.isSafeInteger(t) && t > 0 ? t : null;
}

/** The events.list params that should contain event `id` (see eventStartFromId). */
export function deepLinkQuery(id: string, now: number): { from: number; to: number; limit: number } {
  const start = eventStartFromId(id);
  if (start === null) return { from: now - EVENTS_KEPT_MS, to: now + 60_000, limit: 500 };
  // Overlap listing: the event itself, plus a few neighbours started in the same second.
  return { from: start, to: start + 1_000, limit: 50 };
}
