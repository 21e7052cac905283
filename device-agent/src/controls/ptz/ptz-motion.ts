// Why: the virtual PTZ head's motion as pure math: a velocity (-1…1 per axis, ONVIF's generic
// velocity space) moves the position at a fixed top speed, clamped to the range, integrated
// over real elapsed time so a late timer tick never changes how far the view travels.
import type { PtzPosition } from "../../../../protocol/index.ts";
import type { PtzVelocity } from "./ptz-driver.ts";

/** Position units per second at velocity 1: pan/tilt cross half their range (-1…1) in 1 s. */
export const PAN_TILT_SPEED = 1;
/** Zoom crosses its whole range (0…1) in 2 s at velocity 1. */
export const ZOOM_SPEED = 0.5;

export const HOME: PtzPosition = { pan: 0, tilt: 0, zoom: 0 };

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export function integrate(p: PtzPosition, v: PtzVelocity, dtMs: number): PtzPosition {
  const dt = Math.max(0, dtMs) / 1000;
  return {
    pan: clamp(p.pan + clamp(v.pan, -1, 1) * PAN_TILT_SPEED * dt, -1, 1),
    tilt: clamp(p.tilt + clamp(v.tilt, -1, 1) * PAN_TILT_SPEED * dt, -1, 1),
    zoom: clamp(p.zoom + clamp(v.zoom, -1, 1) * ZOOM_SPEED * dt, 0, 1),
  };
}

export function isStill(v: PtzVelocity): boolean {
  return v.pan === 0 && v.tilt === 0 && v.zoom === 0;
}

export function samePosition(a: PtzPosition, b: PtzPosition): boolean {
  return a.pan === b.pan && a.tilt === b.tilt && a.zoom === b.zoom;
}
