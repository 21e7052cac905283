// Why: the hub's effects that land in D1 (last seen, NAT report, session history, device
// connections, the event index), each as one write the shell chains after the socket effects (device-hub.ts).
import { db } from "../db/client.ts";
import { insertConnection } from "../db/device-connections.ts";
import { countRefusal, endConnectionCounted } from "../analytics/edge-counts.ts";
import { recordCameraEvent } from "../db/camera-events.ts";
import { setNatStatus, touchLastSeen } from "../db/devices.ts";
import { EDGE_EVENTS_KEPT_DAYS, EDGE_EVENTS_KEPT_PER_CAMERA } from "../../../protocol/index.ts";
import { eventRow, type CameraEventFrame } from "../events/index.ts";
import { endViewerSession, insertViewerSession, setViewerSessionPath } from "../db/viewer-session-writes.ts";
import type { Effect, SessionRecord } from "./types.ts";

export type D1Write = () => Promise<void>;

/** The D1 write an effect asks for, or undefined for effects that are not D1 writes. */
export function d1WriteFor(binding: D1Database, serial: string, effect: Effect): D1Write | undefined {
  switch (effect.type) {
    case "device-seen":
      return () => touchLastSeen(db(binding), serial, new Date());
    case "device-nat": {
      const nat = effect.nat;
      return () => setNatStatus(db(binding), serial, nat, new Date());
    }
    case "session-record": {
      const record = effect.record;
      return () => writeRecord(binding, record);
    }
    case "connection-open": {
      const c = effect.conn;
      const row = { id: c.id, serial, connectedAt: new Date(c.connectedAt), networkTag: c.networkTag ?? null };
      return () => insertConnection(db(binding), row);
    }
    case "connection-end": {
      const e = effect.end;
      const row = { id: e.connId, reason: e.reason, closeCode: e.closeCode, endedAt: new Date(e.endedAt), lastSeenAt: new Date(e.lastSeenAt) };
      // Counted into the hourly roll-up as it is written: device_connections keeps only ten per camera.
      return () => endConnectionCounted(binding, row);
    }
    case "log": {
      // The operators' "refused" figure is the edge's own record of turning a viewer away
      // (device_busy, device_offline, a refused resume), never a client's claim.
      const e = effect.event;
      if (e.event !== "viewer_refused") return undefined;
      return () => countRefusal(binding, e.code);
    }
    default:
      return undefined;
  }
}

async function writeRecord(binding: D1Database, r: SessionRecord): Promise<void> {
  const d = db(binding);
  switch (r.op) {
    case "start":
      return insertViewerSession(d, { sessionId: r.sessionId, serial: r.serial, userId: r.userId, role: r.role, startedAt: new Date(r.at) });
    case "path":
      return setViewerSessionPath(d, r.sessionId, r.path);
    case "end":
      return endViewerSession(d, r.sessionId, new Date(r.at), r.reason);
    default:
      r satisfies never;
  }
}

/**
 * Adds a camera's event to the index (the shell has checked its rate: events/event-rate.ts);
 * `prune`: the camera's rows past the count or the age go in the same round trip.
 */
export function eventWrite(binding: D1Database, serial: string, event: CameraEventFrame, now: number, prune: boolean): D1Write {
  const row = eventRow(serial, event, now);
  const retention = prune ? { keptPerCamera: EDGE_EVENTS_KEPT_PER_CAMERA, keptSince: now - EDGE_EVENTS_KEPT_DAYS * 86_400_000 } : undefined;
  return () => recordCameraEvent(db(binding), row, retention);
}
