// Why: the events timeline's rules (issue 13, item 3), pure so they are tested with a pinned
// clock, locale and time zone: pages from the edge merged without repeats, grouped by the
// viewer's local day ("Today", "Yesterday", a date), and each row's time and camera name.
import type { Camera } from "../../../protocol/accounts.ts";
import type { IndexedEvent } from "../../../protocol/events-api.ts";
import { can } from "../../../protocol/roles.ts";
import type { FormatOptions } from "./presence-text.ts";

export interface TimelineDay {
  /** YYYY-MM-DD in the viewer's time zone. */
  key: string;
  label: string;
  events: IndexedEvent[];
}

const eventKey = (e: Pick<IndexedEvent, "serial" | "id">) => `${e.serial}/${e.id}`;

/**
 * Adds an older page to the events already shown: newest first, each event once (a page fetched
 * twice, or an event that straddled a page, is not shown twice).
 */
export function mergeEvents(shown: readonly IndexedEvent[], page: readonly IndexedEvent[]): IndexedEvent[] {
  const seen = new Set(shown.map(eventKey));
  const merged = [...shown];
  for (const e of page) {
    if (seen.has(eventKey(e))) continue;
    seen.add(eventKey(e));
    merged.push(e);
  }
  return merged.sort((a, b) => b.startedAt - a.startedAt || a.serial.localeCompare(b.serial) || a.id.localeCompare(b.id));
}

/** `before` for the next older page: the oldest start shown (the edge's paging is exclusive). */
export function olderThan(shown: readonly IndexedEvent[]): number | undefined {
  return shown.at(-1)?.startedAt;
}

function parts(ms: number, opts: FormatOptions): { y: number; m: number; d: number } {
  const f = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day) };
}

/** The local calendar day of `ms`, as YYYY-MM-DD. */
export function dayKey(ms: number, opts: FormatOptions = {}): string {
  const { y, m, d } = parts(ms, opts);
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Whole calendar days from `key` to today's key (UTC date arithmetic on the local dates: DST-proof). */
function daysAgo(key: string, todayKey: string): number {
  return Math.round((Date.parse(`${todayKey}T00:00:00Z`) - Date.parse(`${key}T00:00:00Z`)) / 86_400_000);
}

/** "Today", "Yesterday", "Monday 30 November", or with the year when it is not this year. */
export function dayLabel(ms: number, nowMs: number, opts: FormatOptions = {}): string {
  const key = dayKey(ms, opts);
  const today = dayKey(nowMs, opts);
  const ago = daysAgo(key, today);
  if (ago === 0) return "Today";
  if (ago === 1) return "Yesterday";
  const sameYear = key.slice(0, 4) === today.slice(0, 4);
  return new Intl.DateTimeFormat(opts.locale ?? "en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(sameYear ? {} : { year: "numeric" }),
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  }).format(new Date(ms));
}

/** Newest-first events in runs of one local day each, newest day first. */
export function groupByDay(events: readonly IndexedEvent[], nowMs: number, opts: FormatOptions = {}): TimelineDay[] {
  const days: TimelineDay[] = [];
  for (const e of events) {
    const key = dayKey(e.startedAt, opts);
    const last = days.at(-1);
    if (last?.key === key) last.events.push(e);
    else days.push({ key, label: dayLabel(e.startedAt, nowMs, opts), events: [e] });
  }
  return days;
}

/** "14:05" in the viewer's locale and zone (24-hour in en-GB; the locale's own clock elsewhere). */
export function eventTime(ms: number, opts: FormatOptions = {}): string {
  return new Intl.DateTimeFormat(opts.locale ?? "en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  }).format(new Date(ms));
}

/** What a row says happened: "Motion". */
export function eventKindLabel(kind: IndexedEvent["kind"]): string {
  return kind === "motion" ? "Motion" : kind;
}

/** The camera's name for a row; a camera no longer in the list is named by its serial. */
export function cameraNameOf(cameras: readonly Pick<Camera, "serial" | "name">[] | null, serial: string): string {
  return cameras?.find((c) => c.serial === serial)?.name ?? serial;
}

/**
 * The cameras the filter offers: those whose events the person may see (owner and viewer: the
 * edge lists events for roles with playback), by name.
 */
export function filterableCameras<C extends Pick<Camera, "serial" | "name" | "role">>(cameras: readonly C[] | null): C[] {
  return (cameras ?? []).filter((c) => can(c.role, "playback")).sort((a, b) => a.name.localeCompare(b.name) || a.serial.localeCompare(b.serial));
}
