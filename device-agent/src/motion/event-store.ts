// Why: events must survive a restart and stay on the camera (the edge never holds pictures).
// One small JSON index (written atomically, like settings) plus one JPEG per event beside it;
// deleting an event deletes its thumbnail. An event a crash left open is closed at its start
// on the next boot, so the timeline never shows one running forever.
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { MotionEventSchema, type MotionEvent } from "../../../protocol/index.ts";
import { readJsonFile, writeJsonFileAtomic } from "../controls/json-file.ts";
import { eventsInRange } from "./event-range.ts";
import { eventRetentionVictims, type RetentionLimits } from "./event-retention.ts";

export const EVENTS_DIR = "events";
const INDEX_FILE = "index.json";
const IndexSchema = z.object({ events: z.array(MotionEventSchema) });

export interface EventStore {
  /** Records a new open event; returns it. */
  add(start: number, recording: MotionEvent["recording"]): MotionEvent;
  /** Changes an event (end, recording span); null if it was deleted meanwhile. */
  update(id: string, change: Partial<Pick<MotionEvent, "end" | "recording">>): MotionEvent | null;
  /** Stores the event's JPEG and records its size; null if the event was deleted meanwhile. */
  setThumbnail(id: string, jpeg: Buffer, width: number, height: number): MotionEvent | null;
  get(id: string): MotionEvent | undefined;
  list(from: number, to: number, limit: number): { events: MotionEvent[]; more: boolean };
  readThumbnail(id: string): Buffer | null;
  /** Deletes what is beyond the limits at `now`; returns the deleted ids. */
  applyRetention(now: number, limits: RetentionLimits): string[];
}

/** Sortable by start, unique on one camera, and within device-edge's CameraEventIdSchema. */
export function newEventId(start: number): string {
  return `m${Math.max(0, Math.floor(start)).toString(36)}-${randomBytes(3).toString("hex")}`;
}

export function openEventStore(dir: string, onCorrupt?: (reason: string) => void): EventStore {
  mkdirSync(dir, { recursive: true });
  const indexFile = path.join(dir, INDEX_FILE);
  const thumbFile = (id: string) => path.join(dir, `${id}.jpg`);
  const events = new Map<string, MotionEvent>();
  for (const e of readJsonFile(indexFile, (j) => IndexSchema.parse(j), onCorrupt)?.events ?? []) {
    events.set(e.id, e.end === null ? { ...e, end: e.start } : e);
  }
  // Thumbnails whose event is gone (a crash between the two writes) are removed.
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".jpg") && !events.has(name.slice(0, -4))) rmSync(path.join(dir, name), { force: true });
  }
  const save = (): void => writeJsonFileAtomic(indexFile, { events: [...events.values()] });
  save();

  const change = (id: string, patch: Partial<MotionEvent>): MotionEvent | null => {
    const e = events.get(id);
    if (!e) return null;
    const next = { ...e, ...patch };
    events.set(id, next);
    save();
    return next;
  };

  return {
    add(start, recording) {
      const e: MotionEvent = { id: newEventId(start), kind: "motion", start, end: null, thumbnail: null, recording };
      events.set(e.id, e);
      save();
      return e;
    },
    update: (id, patch) => change(id, patch),
    setThumbnail(id, jpeg, width, height) {
      if (!events.has(id)) return null;
      writeFileSync(thumbFile(id), jpeg, { mode: 0o600 });
      return change(id, { thumbnail: { bytes: jpeg.length, width, height } });
    },
    get: (id) => events.get(id),
    list: (from, to, limit) => eventsInRange([...events.values()], from, to, limit),
    readThumbnail(id) {
      if (!events.get(id)?.thumbnail) return null;
      try {
        return readFileSync(thumbFile(id));
      } catch {
        return null;
      }
    },
    applyRetention(now, limits) {
      const victims = eventRetentionVictims([...events.values()], now, limits);
      if (victims.length === 0) return [];
      for (const id of victims) {
        events.delete(id);
        rmSync(thumbFile(id), { force: true });
      }
      save();
      return victims;
    },
  };
}
