// Why: a settings patch is checked twice — shape (zod, in protocol/controls.ts) and meaning
// (a real time zone, SD not larger than HD) — and the first bad field is named, so the PWA can
// show the camera's reason next to that field.
import { DeviceSettingsPatchSchema, DeviceSettingsSchema, type DeviceSettings, type DeviceSettingsPatch } from "../../../../protocol/index.ts";
import { ControlFailure } from "../control-failure.ts";

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Returns `base` with `patch` applied; throws ControlFailure(invalid_value, field) when invalid. */
export function applySettingsPatch(base: DeviceSettings, patch: unknown): DeviceSettings {
  const shape = DeviceSettingsPatchSchema.safeParse(patch);
  if (!shape.success) throw fieldFailure(shape.error.issues[0]);
  const p: DeviceSettingsPatch = shape.data;
  const next: DeviceSettings = {
    ...base,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.timeZone !== undefined ? { timeZone: p.timeZone } : {}),
    ...(p.audio !== undefined ? { audio: p.audio } : {}),
    image: { ...base.image, ...p.image },
    quality: { sd: { ...base.quality.sd, ...p.quality?.sd }, hd: { ...base.quality.hd, ...p.quality?.hd } },
    recording: { ...base.recording, ...p.recording },
    ...(base.motion || p.motion ? { motion: { enabled: true, sensitivity: 50, zones: [], ...base.motion, ...p.motion } } : {}),
  };
  const full = DeviceSettingsSchema.safeParse(next);
  if (!full.success) throw fieldFailure(full.error.issues[0]);
  if (!isTimeZone(next.timeZone)) throw ControlFailure.invalid("timeZone", `${JSON.stringify(next.timeZone)} is not a time zone this camera knows`);
  const { sd, hd } = next.quality;
  if (sd.width * sd.height > hd.width * hd.height) throw ControlFailure.invalid("quality.sd.width", "SD must not be larger than HD");
  if (sd.bitrateKbps > hd.bitrateKbps) throw ControlFailure.invalid("quality.sd.bitrateKbps", "SD bitrate must not exceed HD bitrate");
  for (const [q, prof] of [["sd", sd], ["hd", hd]] as const) {
    // Encoders need even dimensions for 4:2:0 chroma.
    if (prof.width % 2 || prof.height % 2) throw ControlFailure.invalid(`quality.${q}.width`, "width and height must be even");
  }
  for (const [i, z] of (next.motion?.zones ?? []).entries()) {
    // A zone must lie in the picture; a little float slack for PWAs that compute x + w.
    if (z.x + z.w > 1.0001 || z.y + z.h > 1.0001) throw ControlFailure.invalid(`motion.zones.${i}`, "the zone runs past the edge of the picture");
  }
  return full.data;
}

function fieldFailure(issue: { path: PropertyKey[]; message: string } | undefined): ControlFailure {
  const field = issue?.path.map(String).join(".") || "settings";
  return ControlFailure.invalid(field, issue?.message ?? "invalid");
}
