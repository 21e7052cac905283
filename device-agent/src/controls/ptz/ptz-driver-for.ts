// Why: picks the camera's PTZ driver from --ptz and what the source can do, and says in plain
// words why there is none. ONVIF discovery is asynchronous (it talks to the camera), so that
// driver is wrapped: calls wait for discovery, and a camera that cannot be reached answers each
// command with its reason instead of failing the agent's start. A camera that was down (or
// still booting after a power cut, as the agent's host often comes up first) is tried again on
// the next command once ONVIF_RETRY_MS has passed, so it does not stay unusable until the agent
// restarts.
import type { PtzPosition } from "../../../../protocol/index.ts";
import type { PtzSpec } from "../../config.ts";
import type { Logger } from "../../log.ts";
import type { MediaSource } from "../../media/source.ts";
import { ControlFailure } from "../control-failure.ts";
import { createOnvifDriver } from "./onvif-driver.ts";
import { openPresetStore } from "./preset-store.ts";
import type { PtzDriver } from "./ptz-driver.ts";
import { createVirtualDriver } from "./virtual-driver.ts";

export const PTZ_NEEDS_FFMPEG =
  "PTZ and HD need ffmpeg on the camera host: install ffmpeg and start the agent with --ptz virtual (or an ffmpeg source).";

export interface PtzChoice {
  driver: PtzDriver | null;
  note?: string;
}

export function ptzDriverFor(
  spec: PtzSpec | undefined,
  o: { source: MediaSource; dataDir: string; logger: Logger; env?: Record<string, string | undefined>; onvifRetryMs?: number },
): PtzChoice {
  const kind = spec?.kind ?? "none";
  if (kind === "none") return { driver: null, ...(o.source.setView ? {} : { note: PTZ_NEEDS_FFMPEG }) };
  if (spec?.kind === "onvif") {
    const env = o.env ?? process.env;
    const connect = () => {
      const pending = createOnvifDriver({
        url: spec.url,
        ...(env.PORTHOLE_ONVIF_USERNAME ? { username: env.PORTHOLE_ONVIF_USERNAME } : {}),
        ...(env.PORTHOLE_ONVIF_PASSWORD ? { password: env.PORTHOLE_ONVIF_PASSWORD } : {}),
        logger: o.logger,
      });
      pending.catch((e: Error) => o.logger.warn({ event: "feature", feature: "ptz", action: "onvif_unreachable", detail: e.message.slice(0, 200) }));
      return pending;
    };
    return { driver: deferredDriver("onvif", connect, o.onvifRetryMs === undefined ? {} : { retryMs: o.onvifRetryMs }) };
  }
  const setView = o.source.setView?.bind(o.source);
  if (!setView) return { driver: null, note: PTZ_NEEDS_FFMPEG };
  const presets = openPresetStore(o.dataDir, (reason) =>
    o.logger.warn({ event: "feature", feature: "ptz", action: "corrupt_presets_reset", detail: reason }),
  );
  return { driver: createVirtualDriver({ presets, apply: (p: PtzPosition) => setView(p) }) };
}

/** How long after a failed ONVIF discovery the next command tries the camera again. */
export const ONVIF_RETRY_MS = 10_000;

/**
 * A driver whose calls wait for `connect()`'s driver; its failure becomes each call's
 * device_refused until `retryMs` has passed, then the next call connects again.
 */
export function deferredDriver(
  kind: PtzDriver["kind"],
  connect: () => Promise<PtzDriver>,
  o: { retryMs?: number; now?: () => number } = {},
): PtzDriver {
  const now = o.now ?? (() => performance.now());
  const retryMs = o.retryMs ?? ONVIF_RETRY_MS;
  let failedAt: number | undefined;
  const attempt = (): Promise<PtzDriver> => {
    const p = connect();
    p.catch(() => {
      if (pending === p) failedAt = now();
    });
    return p;
  };
  let pending = attempt();
  const get = async (): Promise<PtzDriver> => {
    if (failedAt !== undefined && now() - failedAt >= retryMs) {
      failedAt = undefined;
      pending = attempt();
    }
    try {
      return await pending;
    } catch (e) {
      throw ControlFailure.refused(`The camera's PTZ service is not reachable: ${(e as Error).message}`.slice(0, 300));
    }
  };
  return {
    kind,
    move: async (v) => (await get()).move(v),
    stop: async () => (await get()).stop(),
    status: async () => (await get()).status(),
    presets: async () => (await get()).presets(),
    savePreset: async (name, token) => (await get()).savePreset(name, token),
    gotoPreset: async (token) => (await get()).gotoPreset(token),
    removePreset: async (token) => (await get()).removePreset(token),
    home: async () => (await get()).home(),
    close: async () => {
      const d = await pending.catch(() => null);
      await d?.close();
    },
  };
}
