// Why: the camera's controls as one object the agent owns: each feature (PTZ, settings, talk,
// snapshot, recordings) contributes handlers and its line in the hello's feature list, and may
// push events to every connected viewer. Sessions attach/detach; features never see sockets.
import type { ControlEventData, ControlEventName, DeviceFeatures, DeviceToEdge } from "../../../protocol/index.ts";
import type { Logger } from "../log.ts";
import type { ControlHandlers, ControlSession } from "./control-session.ts";

export interface ControlsContext {
  /** Sends an event to every attached viewer, or to those `filter` accepts. */
  broadcast<E extends ControlEventName>(event: E, data: ControlEventData<E> | ((s: ControlSession) => ControlEventData<E>), filter?: (s: ControlSession) => boolean): void;
  /** The viewers attached now. */
  sessions(): readonly ControlSession[];
  logger: Logger;
  /** Something happened on the camera (a motion event started): the agent tells the edge when it
   * accepts events. Names and times only, never a picture. Absent in feature tests. */
  cameraEvent?(event: CameraEvent): void;
}

/** What the edge may learn of a camera event (device-edge.ts DeviceEventSchema). */
export type CameraEvent = Extract<DeviceToEdge, { type: "event" }>["event"];

export interface CameraFeature {
  readonly name: string;
  readonly handlers: ControlHandlers;
  /** This feature's part of the hello's `features`. */
  readonly features?: Partial<DeviceFeatures>;
  onSessionOpen?(session: ControlSession): void;
  /** The viewer left (any reason): release what they held (talk floor, PTZ move…). */
  onSessionClose?(session: ControlSession): void;
  stop?(): Promise<void>;
}

export type FeatureFactory = (ctx: ControlsContext) => CameraFeature;

export interface CameraControls {
  readonly handlers: ControlHandlers;
  readonly features: DeviceFeatures;
  readonly context: ControlsContext;
  /** The camera's current name (settings), shown to viewers in the hello. */
  name(): string | undefined;
  /** Listens to camera events (the agent forwards them to the edge); returns the unsubscribe. */
  onCameraEvent(fn: (event: CameraEvent) => void): () => void;
  /** Registers a viewer for events; returns the detach function (idempotent). */
  attach(session: ControlSession): () => void;
  stop(): Promise<void>;
}

export const NO_FEATURES: DeviceFeatures = { ptz: null, qualities: [], talk: false, snapshot: false, recording: false };

export function createCameraControls(factories: readonly FeatureFactory[], logger: Logger, extras: { name?: () => string } = {}): CameraControls {
  const attached = new Set<ControlSession>();
  const cameraListeners = new Set<(event: CameraEvent) => void>();
  const context: ControlsContext = {
    logger,
    cameraEvent(event) {
      for (const fn of [...cameraListeners]) {
        try {
          fn(event);
        } catch (e) {
          logger.warn({ event: "control_event_failed", sessionId: "-", message: `camera event: ${(e as Error).message}` });
        }
      }
    },
    sessions: () => [...attached],
    broadcast(event, data, filter) {
      for (const s of [...attached]) {
        if (filter && !filter(s)) continue;
        try {
          s.emit(event, typeof data === "function" ? data(s) : data);
        } catch (e) {
          logger.warn({ event: "control_event_failed", sessionId: s.sessionId, message: (e as Error).message });
        }
      }
    },
  };
  const features = factories.map((f) => f(context));
  const handlers: ControlHandlers = {};
  const merged: DeviceFeatures = { ...NO_FEATURES, notes: [] };
  for (const f of features) {
    for (const [method, h] of Object.entries(f.handlers)) {
      if (Object.hasOwn(handlers, method)) throw new Error(`control method ${method} is handled twice (${f.name})`);
      (handlers as Record<string, unknown>)[method] = h;
    }
    const { notes, ...rest } = f.features ?? {};
    Object.assign(merged, rest);
    if (notes) merged.notes!.push(...notes);
  }
  if (merged.notes!.length === 0) delete merged.notes;

  const each = (fn: (f: CameraFeature) => void, what: string, sessionId: string): void => {
    for (const f of features) {
      try {
        fn(f);
      } catch (e) {
        logger.warn({ event: "control_event_failed", sessionId, message: `${f.name} ${what}: ${(e as Error).message}` });
      }
    }
  };

  return {
    handlers,
    features: merged,
    context,
    name: () => extras.name?.(),
    onCameraEvent(fn) {
      cameraListeners.add(fn);
      return () => void cameraListeners.delete(fn);
    },
    attach(session) {
      attached.add(session);
      each((f) => f.onSessionOpen?.(session), "open", session.sessionId);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        attached.delete(session);
        each((f) => f.onSessionClose?.(session), "close", session.sessionId);
      };
    },
    async stop() {
      await Promise.allSettled(features.map((f) => f.stop?.()));
    },
  };
}
