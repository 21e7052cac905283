// Why: GET /api/events pages by `before` = the last start time returned (exclusive). Two events
// in the same millisecond on different cameras could straddle a page's end and the second would
// never be listed, so a cut page gives back its trailing events that share the first left-out
// one's start time; they open the next page instead.
import type { IndexedEvent } from "../../../protocol/events-api.ts";

/** `rows`: up to limit + 1 events, newest first. The page to answer and whether more are left. */
export function pageOf(rows: readonly IndexedEvent[], limit: number): { events: IndexedEvent[]; more: boolean } {
  if (rows.length <= limit) return { events: [...rows], more: false };
  const cutAt = rows[limit]!.startedAt;
  let end = limit;
  while (end > 0 && rows[end - 1]!.startedAt === cutAt) end -= 1;
  // A whole page in one millisecond cannot be split by time; it is sent as it is.
  return { events: rows.slice(0, end === 0 ? limit : end), more: true };
}
