// Why: the panel greys out what this camera cannot do (its hello's features) and says why in
// the camera's own words (features.notes), instead of offering settings that do nothing.
import type { DeviceFeatures, Quality } from "../../../protocol/controls.ts";

export interface SectionState {
  enabled: boolean;
  /** Why it is off, for the owner; null when enabled. */
  reason: string | null;
}

export interface SettingsSections {
  /** Stream profiles; each profile is editable only if the camera streams that quality. */
  quality: SectionState & { profiles: Record<Quality, boolean> };
  recording: SectionState;
  /** Flip, mirror, night. */
  image: SectionState;
}

/** The first note that mentions one of `words` (case-insensitive). */
function noteAbout(features: DeviceFeatures, words: RegExp): string | null {
  return features.notes?.find((n) => words.test(n)) ?? null;
}

export function settingsSections(features: DeviceFeatures): SettingsSections {
  const streams = features.qualities.length > 0;
  const recording = features.recording;
  return {
    quality: {
      enabled: streams,
      reason: streams ? null : (noteAbout(features, /quality|stream|resolution|\bSD\b|\bHD\b/i) ?? "This camera does not report its stream profiles."),
      profiles: { sd: features.qualities.includes("sd"), hd: features.qualities.includes("hd") },
    },
    image: {
      enabled: features.image === true,
      reason: features.image === true ? null : (noteAbout(features, /flip|mirror|night|picture/i) ?? "This camera does not adjust its picture."),
    },
    recording: {
      enabled: recording,
      reason: recording ? null : (noteAbout(features, /record/i) ?? "This camera does not record."),
    },
  };
}
