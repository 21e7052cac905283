// Why: the one place that decides which camera features this agent runs, from its config and
// what the host has (ffmpeg, an ONVIF camera…). Each feature lives in its own folder under
// controls/ and contributes a FeatureFactory here.
import type { DeviceSettings } from "../../../protocol/index.ts";
import type { Logger } from "../log.ts";
import type { MediaHub } from "../media/media-hub.ts";
import type { PtzSpec } from "../config.ts";
import { createCameraControls, type CameraControls, type FeatureFactory } from "./camera-controls.ts";
import { motionFeature } from "../motion/motion-feature.ts";
import { nightFeature } from "./night/index.ts";
import { ptzDriverFor } from "./ptz/ptz-driver-for.ts";
import { ptzFeature } from "./ptz/ptz-feature.ts";
import { streamFeature } from "./stream/stream-feature.ts";
import { recordingFeature } from "./recording/index.ts";
import { settingsFeature } from "./settings/settings-feature.ts";
import { snapshotFeature } from "./snapshot/snapshot-feature.ts";
import { talkFeatureFor, type TalkAudioBus, type TalkSinkSpec } from "./talk/index.ts";
import { defaultSettings, openSettingsStore, type SettingsStore } from "./settings/settings-store.ts";

export interface ControlsConfig {
  serial: string;
  /** The name from --name: the default until the owner renames the camera in settings. */
  name: string;
  /** Where the camera keeps its state (settings.json, presets, recordings/). */
  dataDir: string;
  hub: MediaHub;
  logger: Logger;
  /** Where a talker's voice goes (--talk-sink); absent or none: talk is off. */
  talkSink?: TalkSinkSpec;
  /** Received talk audio from the peer sessions (the agent delivers into it). */
  talkAudio?: TalkAudioBus;
  /** --ptz; absent: none. */
  ptz?: PtzSpec;
  /** Night mode out of the box (until the owner changes it); absent: "auto". */
  defaultNight?: DeviceSettings["image"]["night"];
}

/** The camera's settings before the owner changed any: `defaultSettings` with the config's night. */
export function initialSettings(c: Pick<ControlsConfig, "name" | "defaultNight">): DeviceSettings {
  const d = defaultSettings(c.name);
  return c.defaultNight ? { ...d, image: { ...d.image, night: c.defaultNight } } : d;
}

export function buildCameraControls(c: ControlsConfig): CameraControls {
  const settings: SettingsStore = openSettingsStore(c.dataDir, initialSettings(c), (reason) =>
    c.logger.warn({ event: "feature", feature: "settings", action: "corrupt_file_reset", detail: reason.slice(0, 200) }),
  );
  const factories: FeatureFactory[] = [settingsFeature(settings)];
  factories.push(snapshotFeature({ hub: c.hub }));
  factories.push(talkFeatureFor(c.talkSink, c.talkAudio, c.logger));
  // The ffmpeg pipeline follows image/quality settings live (the demo source has none).
  c.hub.source.applySettings?.(settings.get());
  settings.onChange((next) => c.hub.source.applySettings?.(next));
  const ptz = ptzDriverFor(c.ptz, { source: c.hub.source, dataDir: c.dataDir, logger: c.logger });
  factories.push(ptzFeature(ptz.driver, ptz.note ? { note: ptz.note } : {}));
  factories.push(streamFeature(c.hub));
  // Picture settings (flip, mirror, night) only do something where a pipeline applies them.
  const image = Boolean(c.hub.source.applySettings);
  factories.push(() => ({
    name: "image",
    handlers: {},
    features: image ? { image } : { image, notes: ["Flip, mirror and night mode need the processed pipeline (ffmpeg on the camera host)."] },
  }));
  factories.push(nightFeature({ source: c.hub.source, settings }));
  let recording = false;
  factories.push(recordingFeature({ dataDir: c.dataDir, hub: c.hub, settings, onActive: (active) => void (recording = active) }));
  factories.push(motionFeature({ dataDir: c.dataDir, hub: c.hub, settings, recordingActive: () => recording }));
  return createCameraControls(factories, c.logger, { name: () => settings.get().name });
}
