// Why: the camera names the field it refused ("quality.sd.width"); the panel shows that reason
// next to the control the owner used (the SD resolution picker). Also the choices the panel
// offers — time zones, resolutions — with the camera's current value always among them.
import type { QualityProfile } from "../../../protocol/controls.ts";

/** One place in the panel that can show an error. */
export type SettingsSlot =
  | "name"
  | "timeZone"
  | "audio"
  | "image.flip"
  | "image.mirror"
  | "image.night"
  | `quality.${"sd" | "hd"}.${"size" | "fps" | "bitrateKbps"}`
  | "recording.mode"
  | "recording.retentionMb"
  | "general";

const DIRECT = new Set<string>(["name", "timeZone", "audio", "image.flip", "image.mirror", "image.night", "recording.mode", "recording.retentionMb"]);

/** The slot for a device error's `field`; "general" when it names none the panel shows. */
export function errorSlot(field: string | undefined): SettingsSlot {
  if (!field) return "general";
  if (DIRECT.has(field)) return field as SettingsSlot;
  const q = /^quality\.(sd|hd)\.(width|height|fps|bitrateKbps)$/.exec(field);
  if (q) return `quality.${q[1] as "sd" | "hd"}.${q[2] === "width" || q[2] === "height" ? "size" : (q[2] as "fps" | "bitrateKbps")}`;
  return "general";
}

/** Time zones to offer: the browser's list plus the camera's current one (e.g. "UTC", which
 * Chromium leaves out of Intl.supportedValuesOf), sorted. */
export function timeZoneOptions(supported: readonly string[], current: string): string[] {
  const set = new Set(supported);
  set.add(current);
  set.add("UTC");
  return [...set].sort((a, b) => a.localeCompare(b));
}

/** The browser's time zones, or none where Intl.supportedValuesOf is missing (older Safari). */
export function browserTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

/** 16:9 sizes cameras commonly stream; even dimensions (4:2:0 chroma). */
export const COMMON_SIZES: ReadonlyArray<readonly [number, number]> = [
  [320, 180],
  [640, 360],
  [854, 480],
  [960, 540],
  [1280, 720],
  [1920, 1080],
  [2560, 1440],
  [3840, 2160],
];

export const sizeKey = (w: number, h: number): string => `${w}x${h}`;

/** Resolution choices: the common sizes plus the profile's own if it is not one of them. */
export function sizeOptions(profile: Pick<QualityProfile, "width" | "height">): Array<{ key: string; width: number; height: number }> {
  const all = COMMON_SIZES.map(([width, height]) => ({ key: sizeKey(width, height), width, height }));
  if (!all.some((s) => s.width === profile.width && s.height === profile.height)) {
    all.push({ key: sizeKey(profile.width, profile.height), width: profile.width, height: profile.height });
    all.sort((a, b) => a.width * a.height - b.width * b.height);
  }
  return all;
}

/** A whole number typed into a field, or null (empty, decimals, letters). */
export function parseWholeNumber(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,9}$/.test(t)) return null;
  return Number(t);
}
