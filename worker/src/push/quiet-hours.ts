// Why: a person asleep does not want "Motion at the front door" at 3 a.m. Quiet hours are local
// times in the subscribing browser's own time zone (IANA, via Intl — workerd ships the tz data),
// so a phone in Lisbon and a laptop in Tokyo on one account each keep their own night.
import type { QuietHours } from "../../../protocol/index.ts";

/** "HH:MM" → minutes after midnight. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** "HH:MM" of minutes after midnight. */
export function hhmmOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** True when `timeZone` is a zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Minutes after local midnight at `nowMs` in `timeZone`. */
export function localMinutes(nowMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(nowMs));
  const h = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const m = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return (h % 24) * 60 + m;
}

/** Inside [start, end) local time; start > end spans midnight; start = end or none: never quiet. */
export function isQuietNow(nowMs: number, timeZone: string, quietStart: number | null, quietEnd: number | null): boolean {
  if (quietStart === null || quietEnd === null || quietStart === quietEnd) return false;
  const m = localMinutes(nowMs, timeZone);
  return quietStart < quietEnd ? m >= quietStart && m < quietEnd : m >= quietStart || m < quietEnd;
}

/** The stored columns for quiet hours (null: none). */
export function quietColumns(q: QuietHours | null): { quietStart: number | null; quietEnd: number | null } {
  return q ? { quietStart: minutesOf(q.start), quietEnd: minutesOf(q.end) } : { quietStart: null, quietEnd: null };
}
