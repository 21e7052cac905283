// Why: the ptz.* control methods, written once for every driver. A move is a lease: it stops
// by itself after `timeoutMs` unless renewed (the PWA repeats it while a button is held), so a
// lost "stop" or a viewer who vanished never leaves the camera turning. Position changes are
// pushed to every viewer as ptz.status, at most a few times a second.
import type { PtzStatus } from "../../../../protocol/index.ts";
import type { FeatureFactory } from "../camera-controls.ts";
import type { ControlSession } from "../control-session.ts";
import type { PtzDriver } from "./ptz-driver.ts";

export const DEFAULT_MOVE_TIMEOUT_MS = 1_000;
/** ptz.status events: at most one per this (and a last one when motion ends). */
export const STATUS_INTERVAL_MS = 200;
export const ONVIF_STATUS_INTERVAL_MS = 500;

export interface PtzFeatureOptions {
  /** Why PTZ is missing (shown to the owner), when `driver` is null. */
  note?: string;
  statusIntervalMs?: number;
}

export function ptzFeature(driver: PtzDriver | null, options: PtzFeatureOptions = {}): FeatureFactory {
  return (ctx) => {
    if (!driver) return { name: "ptz", handlers: {}, features: { ptz: null, ...(options.note ? { notes: [options.note] } : {}) } };
    const d = driver;
    // Status comes from polling the driver while it moves: free for the virtual head, one
    // GetStatus request each time for an ONVIF camera, so those are spaced further apart.
    const interval = options.statusIntervalMs ?? (d.kind === "onvif" ? ONVIF_STATUS_INTERVAL_MS : STATUS_INTERVAL_MS);
    let autoStop: NodeJS.Timeout | undefined;
    /** Who holds the current move: their leaving stops it. */
    let mover: ControlSession | undefined;
    let poll: NodeJS.Timeout | undefined;
    let lastSent = "";
    let stopped = false;

    const status = async (): Promise<PtzStatus> => {
      const [s, presets] = await Promise.all([d.status(), d.presets()]);
      return { driver: d.kind, position: s.position, moving: s.moving, presets };
    };
    /** Sends ptz.status if it changed; keeps polling while the head moves. */
    const publish = async (): Promise<void> => {
      if (stopped) return;
      let s: PtzStatus;
      try {
        s = await status();
      } catch (e) {
        ctx.logger.warn({ event: "feature", feature: "ptz", action: "status_failed", detail: (e as Error).message.slice(0, 200) });
        return;
      }
      const json = JSON.stringify(s);
      if (json !== lastSent) {
        lastSent = json;
        ctx.broadcast("ptz.status", s);
      }
      clearTimeout(poll);
      poll = s.moving && !stopped ? setTimeout(() => void publish(), interval) : undefined;
    };
    const changed = (): void => {
      if (!poll) void publish();
    };
    const endMove = async (): Promise<void> => {
      clearTimeout(autoStop);
      autoStop = undefined;
      mover = undefined;
      await d.stop();
      void publish();
    };

    return {
      name: "ptz",
      features: { ptz: d.kind },
      handlers: {
        "ptz.status": async () => {
          const s = await status();
          lastSent = JSON.stringify(s);
          return s;
        },
        "ptz.move": async ({ pan, tilt, zoom, timeoutMs }, session) => {
          await d.move({ pan, tilt, zoom });
          mover = session;
          clearTimeout(autoStop);
          autoStop = setTimeout(() => {
            ctx.logger.info({ event: "feature", feature: "ptz", action: "auto_stop", sessionId: session.sessionId });
            void endMove().catch(() => {});
          }, timeoutMs ?? DEFAULT_MOVE_TIMEOUT_MS);
          changed();
          return {};
        },
        "ptz.stop": async () => {
          await endMove();
          return {};
        },
        "ptz.goto": async ({ token }) => {
          clearTimeout(autoStop);
          await d.gotoPreset(token);
          void publish();
          return {};
        },
        "ptz.home": async () => {
          clearTimeout(autoStop);
          await d.home();
          void publish();
          return {};
        },
        "ptz.preset.save": async ({ name, token }, session) => {
          const preset = await d.savePreset(name, token);
          ctx.logger.info({ event: "feature", feature: "ptz", action: "preset_save", sessionId: session.sessionId, detail: preset.token });
          void publish();
          return { preset };
        },
        "ptz.preset.remove": async ({ token }) => {
          await d.removePreset(token);
          void publish();
          return {};
        },
      },
      onSessionClose(session) {
        if (mover === session) void endMove().catch(() => {});
      },
      async stop() {
        stopped = true;
        clearTimeout(autoStop);
        clearTimeout(poll);
        await d.stop().catch(() => {});
        await d.close();
      },
    };
  };
}
