// Why: image options the agent applies itself, in the ffmpeg pipeline. A virtual camera has no
// IR-cut filter or IR LEDs, so "night" here is the software look of a camera in IR mode: the
// picture turns grayscale (IR light carries no colour) and dark tones are lifted (brightness,
// contrast and gamma up) so a dim scene stays readable. "auto" switches it on from 19:00 to
// 07:00 in the camera's time zone (settings.timeZone) — a clock stands in for a light sensor.
import type { DeviceSettings } from "../../../protocol/index.ts";

/** The `eq` filter's parameters (ffmpeg-filters "eq"); every one is a runtime command too. */
export interface Look {
  saturation: number;
  brightness: number;
  contrast: number;
  gamma: number;
}

export const DAY_LOOK: Look = { saturation: 1, brightness: 0, contrast: 1, gamma: 1 };
export const NIGHT_LOOK: Look = { saturation: 0, brightness: 0.06, contrast: 1.3, gamma: 1.4 };

export const NIGHT_STARTS_HOUR = 19;
export const NIGHT_ENDS_HOUR = 7;

/** The hour (0–23) at `now` in `timeZone`; an unknown zone counts as UTC. */
export function localHour(now: Date, timeZone: string): number {
  try {
    const h = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "numeric", hourCycle: "h23" }).format(now);
    return Number(h) % 24;
  } catch {
    return now.getUTCHours();
  }
}

export function nightActive(mode: DeviceSettings["image"]["night"], now: Date, timeZone: string): boolean {
  if (mode !== "auto") return mode === "on";
  const h = localHour(now, timeZone);
  return h >= NIGHT_STARTS_HOUR || h < NIGHT_ENDS_HOUR;
}

export function lookFor(night: boolean): Look {
  return night ? NIGHT_LOOK : DAY_LOOK;
}
