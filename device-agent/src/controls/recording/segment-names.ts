// Why: the recordings index is the directory itself. A finished segment is named by its
// wall-clock start and end (`<startMs>-<endMs>.mp4`) and only appears under that name after it is
// complete and fsynced (rename is atomic, POSIX rename(2)), so a crash at any moment leaves a
// listing that matches the playable files. The segment's id is the name without `.mp4`; ids from
// viewers are matched against the listing, never joined into paths.

export const SEGMENT_EXT = ".mp4";
export const PART_EXT = ".mp4.part";
export const RECORDINGS_DIR = "recordings";

const FINISHED = /^(\d{1,15})-(\d{1,15})\.mp4$/;
const PART = /^(\d{1,15})\.mp4\.part$/;
const ID = /^(\d{1,15})-(\d{1,15})$/;

export interface SegmentName {
  id: string;
  start: number;
  end: number;
}

export function segmentFileName(start: number, end: number): string {
  return `${Math.round(start)}-${Math.round(end)}${SEGMENT_EXT}`;
}

export function partFileName(start: number): string {
  return `${Math.round(start)}${PART_EXT}`;
}

/** A finished segment's file name → its id and times; null for anything else. */
export function parseSegmentFileName(name: string): SegmentName | null {
  const m = FINISHED.exec(name);
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (!(end > start)) return null;
  return { id: `${m[1]}-${m[2]}`, start, end };
}

/** A `.part` file name → the start time it was opened at; null for anything else. */
export function parsePartFileName(name: string): number | null {
  const m = PART.exec(name);
  return m ? Number(m[1]) : null;
}

/** Shape check for an id from a viewer (the listing lookup is the real check). */
export function isSegmentIdShape(id: string): boolean {
  const m = ID.exec(id);
  return m !== null && Number(m[2]) > Number(m[1]);
}
