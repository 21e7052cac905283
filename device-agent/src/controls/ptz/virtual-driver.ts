// Why: PTZ for cameras that cannot move — the demo clip and ffmpeg sources. Position pan/tilt
// (-1…1) and zoom (0…1) become a crop window of the picture (media/crop-window.ts) that the
// ffmpeg pipeline applies without restarting; a continuous move is integrated here at ~20 Hz so
// the view glides. Presets are positions saved in the data dir.
import type { PtzPosition, PtzPreset } from "../../../../protocol/index.ts";
import { ControlFailure } from "../control-failure.ts";
import type { PtzDriver, PtzVelocity } from "./ptz-driver.ts";
import { HOME, integrate, isStill, samePosition } from "./ptz-motion.ts";
import { MAX_PRESETS, type PresetStore } from "./preset-store.ts";

export interface VirtualDriverOptions {
  presets: PresetStore;
  /** Shows a position (the source's crop window); called on every change. */
  apply(position: PtzPosition): void;
  /** Motion integration period: 50 ms = 20 updates a second. */
  tickMs?: number;
  now?: () => number;
}

export interface VirtualDriver extends PtzDriver {
  readonly kind: "virtual";
  /** The current position, synchronously (tests, status). */
  readonly position: PtzPosition;
}

export function createVirtualDriver(o: VirtualDriverOptions): VirtualDriver {
  const now = o.now ?? (() => performance.now());
  const tickMs = o.tickMs ?? 50;
  let position: PtzPosition = { ...HOME };
  let velocity: PtzVelocity = { pan: 0, tilt: 0, zoom: 0 };
  let timer: NodeJS.Timeout | undefined;
  let lastTick = 0;
  let tokens = o.presets.list().reduce((n, p) => Math.max(n, Number(/^p(\d+)$/.exec(p.token)?.[1] ?? 0)), 0);

  const show = (next: PtzPosition): void => {
    if (samePosition(next, position)) return;
    position = next;
    o.apply(position);
  };
  const tick = (): void => {
    const t = now();
    show(integrate(position, velocity, t - lastTick));
    lastTick = t;
  };
  const halt = (): void => {
    if (timer) {
      tick();
      clearInterval(timer);
      timer = undefined;
    }
    velocity = { pan: 0, tilt: 0, zoom: 0 };
  };
  const find = (token: string) => {
    const p = o.presets.list().find((x) => x.token === token);
    if (!p) throw ControlFailure.notFound(`No preset ${JSON.stringify(token)} on this camera.`);
    return p;
  };

  return {
    kind: "virtual",
    get position() {
      return { ...position };
    },
    async move(v) {
      if (timer) tick(); // account for the old velocity up to now
      velocity = { ...v };
      if (isStill(velocity)) return halt();
      if (!timer) {
        lastTick = now();
        timer = setInterval(tick, tickMs);
      }
    },
    async stop() {
      halt();
    },
    async status() {
      if (timer) tick();
      return { position: { ...position }, moving: timer !== undefined };
    },
    async presets(): Promise<PtzPreset[]> {
      return o.presets.list().map(({ token, name }) => ({ token, name }));
    },
    async savePreset(name, token) {
      if (timer) tick();
      const list = o.presets.list();
      if (token !== undefined) {
        const i = list.findIndex((p) => p.token === token);
        if (i < 0) throw ControlFailure.notFound(`No preset ${JSON.stringify(token)} to overwrite.`);
        list[i] = { token, name, position: { ...position } };
        o.presets.save(list);
        return { token, name };
      }
      if (list.length >= MAX_PRESETS) throw ControlFailure.invalid("name", `This camera keeps at most ${MAX_PRESETS} presets; remove one first.`);
      const fresh = `p${++tokens}`;
      o.presets.save([...list, { token: fresh, name, position: { ...position } }]);
      return { token: fresh, name };
    },
    async gotoPreset(token) {
      const p = find(token);
      halt();
      show({ ...p.position });
    },
    async removePreset(token) {
      find(token);
      o.presets.save(o.presets.list().filter((p) => p.token !== token));
    },
    async home() {
      halt();
      show({ ...HOME });
    },
    async close() {
      halt();
    },
  };
}
