// Why: what the edge keeps of a camera's `event` frame — serial, id, kind and two times, nothing
// else (issue 13: "the edge holds no pictures and no more than the camera name, event time and
// ids"). The camera's clock orders the timeline (it matches what the camera itself lists), but a
// camera whose clock runs far ahead would pin its events above everyone else's for good, so a
// start time past the edge's clock plus a little drift is replaced by the edge's.
import type { CameraEventRow } from "../db/schema.ts";

/** How far ahead of the edge's clock a camera's start time may be (NTP-less cameras drift). */
export const MAX_CAMERA_CLOCK_AHEAD_MS = 5 * 60_000;

/** The frame's event as the hub passes it on (protocol DeviceEventSchema's `event`). */
export interface CameraEventFrame {
  id: string;
  kind: "motion";
  /** ISO 8601, the camera's clock. */
  startedAt: string;
}

/** The camera_events row for one event frame received at `receivedAt` (edge ms). */
export function eventRow(serial: string, event: CameraEventFrame, receivedAt: number): CameraEventRow {
  const camera = Date.parse(event.startedAt);
  const startedAt = Number.isFinite(camera) && camera <= receivedAt + MAX_CAMERA_CLOCK_AHEAD_MS ? camera : receivedAt;
  return { serial, id: event.id, kind: event.kind, startedAt, receivedAt };
}
