// Why: the one place that decides which camera features this agent runs, from its config and
// what the host has (ffmpeg, an ONVIF camera…). Each feature lives in its own folder under
// controls/ and contributes a FeatureFactory here.
import type { Logger } from "../log.ts";
import type { MediaHub } from "../media/media-hub.ts";
import { createCameraControls, type CameraControls, type FeatureFactory } from "./camera-controls.ts";

export interface ControlsConfig {
  serial: string;
  /** Where the camera keeps its state (settings.json, presets, recordings/). */
  dataDir: string;
  hub: MediaHub;
  logger: Logger;
}

export function buildCameraControls(c: ControlsConfig): CameraControls {
  const factories: FeatureFactory[] = [];
  return createCameraControls(factories, c.logger);
}
