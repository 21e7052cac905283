// Why: how the viewer's hands become PTZ velocities, as pure functions the PTZ pad uses and
// tests check: keys (arrows pan/tilt, +/- zoom), the drag gesture on the picture, and camera
// errors in plain words.
import type { ControlErrorCode } from "../../../protocol/controls.ts";

export interface Velocity {
  pan: number;
  tilt: number;
  zoom: number;
}

export const STILL: Velocity = { pan: 0, tilt: 0, zoom: 0 };

/** Velocity while a key is held; null for keys the pad does not use. */
export function keyVelocity(key: string, speed = 0.6): Velocity | null {
  switch (key) {
    case "ArrowLeft":
      return { pan: -speed, tilt: 0, zoom: 0 };
    case "ArrowRight":
      return { pan: speed, tilt: 0, zoom: 0 };
    case "ArrowUp":
      return { pan: 0, tilt: speed, zoom: 0 };
    case "ArrowDown":
      return { pan: 0, tilt: -speed, zoom: 0 };
    case "+":
    case "=":
      return { pan: 0, tilt: 0, zoom: 1 };
    case "-":
    case "_":
      return { pan: 0, tilt: 0, zoom: -1 };
    default:
      return null;
  }
}

/** Dead zone around the press point (px) so a tap or a shaky finger does not move the camera. */
export const DRAG_DEAD_ZONE_PX = 8;

/**
 * The drag gesture is a joystick: press on the picture and drag towards where you want to look;
 * the further from the press point (a quarter of the picture = full speed), the faster. Screen y
 * grows downwards, tilt up is positive.
 */
export function dragVelocity(dx: number, dy: number, width: number, height: number): Velocity {
  const axis = (d: number, size: number): number => {
    if (Math.abs(d) < DRAG_DEAD_ZONE_PX || size <= 0) return 0;
    const v = d / (size / 4);
    return Math.round(Math.max(-1, Math.min(1, v)) * 100) / 100;
  };
  // `0 - x` rather than `-x`: a still axis is 0, not -0.
  return { pan: axis(dx, width), tilt: 0 - axis(dy, height), zoom: 0 };
}

export function sameVelocity(a: Velocity, b: Velocity): boolean {
  return a.pan === b.pan && a.tilt === b.tilt && a.zoom === b.zoom;
}

/** A PTZ failure in the words the viewer sees; the camera's own reason where it gave one. */
export function describePtzError(code: ControlErrorCode, message: string): string {
  switch (code) {
    case "forbidden":
      return "Your access to this camera does not include moving it.";
    case "timeout":
      return "The camera did not answer in time. Try again.";
    case "unavailable":
      return "The connection to the camera closed.";
    case "not_found":
      return "That preset no longer exists on the camera.";
    case "unsupported":
      return message || "This camera cannot do that.";
    case "device_refused":
      return `The camera refused: ${message}`;
    case "invalid_value":
      return `The camera refused this value: ${message}`;
    default:
      return `The camera could not do that: ${message}`;
  }
}

/** "1280 × 720" for the decoded picture, "—" before the first frame. */
export function formatResolution(width: number, height: number): string {
  return width > 0 && height > 0 ? `${width} × ${height}` : "—";
}
