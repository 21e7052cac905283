// Why: motion is measured as the share of watched pixels whose brightness changed between two
// small grey frames (64×36 luma): a person crossing the picture changes many, sensor noise and
// compression shimmer change few and by little. It is a handful of subtractions per frame,
// which is what lets a camera host run detection all the time.

/** A luma change below this (0..255) is noise: H.264 at SD bitrates shimmers by a few levels. */
export const PIXEL_CHANGE_THRESHOLD = 20;

/**
 * The fraction (0..1) of mask pixels whose luma differs by more than `pixelThreshold` between
 * `prev` and `curr` (same size, one byte per pixel). A frame-wide brightness shift (auto
 * exposure, night mode switching) is taken out first — the median-free cheap way: the mean
 * difference over the mask — so a light turning on is not a person walking in.
 */
export function changedFraction(prev: Uint8Array, curr: Uint8Array, mask: Uint8Array, pixelThreshold = PIXEL_CHANGE_THRESHOLD): number {
  const n = Math.min(prev.length, curr.length, mask.length);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    sum += curr[i]! - prev[i]!;
    count++;
  }
  if (count === 0) return 0;
  const shift = sum / count;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    if (Math.abs(curr[i]! - prev[i]! - shift) > pixelThreshold) changed++;
  }
  return changed / count;
}

/**
 * The changed fraction that counts as motion at a sensitivity of 1..100: 10 % of the watched
 * area at 1, 1 % at 50, 0.1 % at 100 — geometric, because what people mean by "more sensitive"
 * is "smaller things", and size scales that way.
 */
export function motionThreshold(sensitivity: number): number {
  const s = Math.min(100, Math.max(1, sensitivity));
  return 0.1 * Math.pow(0.01, (s - 1) / 99);
}
