// Why: the app URL of a camera event, which a notification opens. Kept apart from push.ts and
// free of Zod, so the service worker (a classic script of its own, web/src/sw/sw.ts) can import it
// without pulling in a shared chunk.

/** The camera's page with the event: `/cameras/<serial>?event=<id>`. */
export function eventPath(serial: string, eventId: string): string {
  return `/cameras/${encodeURIComponent(serial)}?event=${encodeURIComponent(eventId)}`;
}
