// Why: one PTZ interface for every camera: `virtual` pans/zooms a crop of the picture (demo and
// ffmpeg sources), `onvif` drives a real IP camera's PTZ service (ONVIF PTZ, ver20/ptz/wsdl).
// The PTZ feature (handlers, auto-stop, status events) is written once against this.
import type { PtzPosition, PtzPreset } from "../../../../protocol/index.ts";

/** Velocities in -1…1 (zoom > 0 = tele), as ONVIF's generic velocity space. */
export interface PtzVelocity {
  pan: number;
  tilt: number;
  zoom: number;
}

export interface PtzDriver {
  readonly kind: "virtual" | "onvif";
  /** Starts a continuous move (ONVIF ContinuousMove); replaces any move in progress. */
  move(velocity: PtzVelocity): Promise<void>;
  /** Stops pan/tilt and zoom (ONVIF Stop). */
  stop(): Promise<void>;
  /** Current position and whether it moves (ONVIF GetStatus). */
  status(): Promise<{ position: PtzPosition; moving: boolean }>;
  presets(): Promise<PtzPreset[]>;
  /** Saves the current position (ONVIF SetPreset); `token` overwrites an existing preset. */
  savePreset(name: string, token?: string): Promise<PtzPreset>;
  /** Throws ControlFailure.notFound for an unknown token. */
  gotoPreset(token: string): Promise<void>;
  removePreset(token: string): Promise<void>;
  /** ONVIF GotoHomePosition; the virtual driver's home is centred and fully wide. */
  home(): Promise<void>;
  close(): Promise<void>;
}
