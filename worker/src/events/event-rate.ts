// Why: a camera with a broken detector (or a hostile one) could send event frames as fast as its
// frame budget allows; each would be a D1 row. The index takes at most EDGE_EVENTS_PER_MINUTE per
// camera per minute (a fixed window — a real camera makes a few an hour) and asks for the
// camera's old rows to be pruned every PRUNE_EVERY recorded events rather than on each insert,
// since a prune reads the camera's index. Kept in the hub's memory: a hub that hibernated was
// idle, so a fresh window is right; its first recorded event prunes.
import { EDGE_EVENTS_PER_MINUTE } from "../../../protocol/events-api.ts";

export const EVENT_WINDOW_MS = 60_000;
/** A prune after this many recorded events (and on the first after the hub woke). */
export const PRUNE_EVERY = 50;

export type EventAdmission = "drop" | "record" | "record-and-prune";

export class EventRate {
  private windowStart = Number.NEGATIVE_INFINITY;
  private inWindow = 0;
  private sincePrune = PRUNE_EVERY;
  private readonly perMinute: number;

  constructor(perMinute = EDGE_EVENTS_PER_MINUTE) {
    this.perMinute = perMinute;
  }

  /** Whether the event at `now` is recorded, and whether the camera's old rows go with it. */
  admit(now: number): EventAdmission {
    if (now - this.windowStart >= EVENT_WINDOW_MS) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= this.perMinute) return "drop";
    this.inWindow += 1;
    if (this.sincePrune < PRUNE_EVERY) {
      this.sincePrune += 1;
      return "record";
    }
    this.sincePrune = 1;
    return "record-and-prune";
  }
}
