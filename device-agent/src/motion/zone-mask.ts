// Why: the owner may say where motion counts (a door, not the street). Zones are rectangles in
// normalized 0..1 coordinates so they survive a resolution change; the detector needs them as a
// per-pixel mask at its own small frame size, computed once per settings change, not per frame.
import type { MotionZone } from "../../../protocol/index.ts";

/**
 * 1 for each pixel of a `width`×`height` frame whose centre lies in a zone, else 0. No zones (or
 * zones covering no pixel centre at all) means the whole picture, so a too-small zone can never
 * silently switch detection off.
 */
export function zoneMask(width: number, height: number, zones: readonly MotionZone[]): Uint8Array {
  const mask = new Uint8Array(width * height);
  let covered = 0;
  for (const z of zones) {
    const x0 = Math.max(0, z.x), y0 = Math.max(0, z.y);
    const x1 = Math.min(1, z.x + z.w), y1 = Math.min(1, z.y + z.h);
    for (let py = 0; py < height; py++) {
      const cy = (py + 0.5) / height;
      if (cy < y0 || cy >= y1) continue;
      for (let px = 0; px < width; px++) {
        const cx = (px + 0.5) / width;
        if (cx < x0 || cx >= x1) continue;
        const i = py * width + px;
        if (!mask[i]) covered++;
        mask[i] = 1;
      }
    }
  }
  if (covered === 0) mask.fill(1);
  return mask;
}
