// Why: the notification's payload is the one thing about a camera event that leaves the edge
// for a third party's push service (encrypted, RFC 8291). It names the camera and the time and
// carries ids — never a picture, a place or who is watching (issue 13). Built here, only.
import type { PushPayload } from "../../../protocol/index.ts";

export interface CameraEventRef {
  serial: string;
  cameraName: string;
  eventId: string;
  startedAt: string;
}

export function pushPayload(e: CameraEventRef, more: number): PushPayload {
  return { v: 1, serial: e.serial, cameraName: e.cameraName.slice(0, 128), eventId: e.eventId, startedAt: e.startedAt, more };
}

export function encodePushPayload(p: PushPayload): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(p));
}
