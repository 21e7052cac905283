// Why: a notification's tap opens /cameras/<serial>?event=<id>, but the events panel that can
// open the event lives deep under the live view and mounts only once the session is live. The
// camera page leaves the request here; the panel takes it when it is ready (once: a reconnect
// does not replay the event again).

type Listener = () => void;

let pending: { serial: string; id: string } | null = null;
const listeners = new Set<Listener>();

/** Asks the events panel of camera `serial` to open event `id` (replaces an untaken request). */
export function requestOpenEvent(serial: string, id: string): void {
  pending = { serial, id };
  for (const fn of [...listeners]) fn();
}

/** The event id asked for on camera `serial`, removed from the queue; null when none. */
export function takeOpenEventRequest(serial: string): string | null {
  if (!pending || pending.serial !== serial) return null;
  const { id } = pending;
  pending = null;
  return id;
}

/** Called when a request is made; returns the unsubscribe function. */
export function onOpenEventRequest(fn: Listener): () => void {
  listeners.add(fn);
  return () => void listeners.delete(fn);
}
