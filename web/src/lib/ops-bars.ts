// Why: the geometry of the operator view's bar charts as plain numbers, so the SVG components
// only draw and the arithmetic (gaps, stacking, the smallest visible bar) is tested once.

export interface Slot {
  x: number;
  width: number;
}

/**
 * `count` equal columns across `width`, each leaving `gapRatio` of its slot empty (half on
 * each side), so neighbouring bars never touch however many buckets a range has — and at most
 * `maxWidth` wide, centred in its slot, so the last hour's one or two bars are not slabs.
 */
export function columnSlots(count: number, width: number, gapRatio = 0.2, maxWidth = Infinity): Slot[] {
  if (count <= 0 || width <= 0) return [];
  const slot = width / count;
  const gap = slot * Math.min(0.9, Math.max(0, gapRatio));
  const w = Math.min(slot - gap, maxWidth);
  return Array.from({ length: count }, (_, i) => ({ x: i * slot + (slot - w) / 2, width: w }));
}

export interface Segment<K extends string> {
  key: K;
  value: number;
  /** SVG y of the segment's top (y grows downwards; the baseline is at `height`). */
  y: number;
  height: number;
}

/**
 * A stacked column: the segments in the order given, bottom first, scaled so `max` fills
 * `height`. Zero segments are dropped (nothing to hover, nothing to mis-read as a sliver).
 */
export function stackColumn<K extends string>(parts: readonly { key: K; value: number }[], max: number, height: number): Segment<K>[] {
  const out: Segment<K>[] = [];
  if (!(max > 0)) return out;
  let base = height;
  for (const p of parts) {
    if (!(p.value > 0)) continue;
    const h = (p.value / max) * height;
    base -= h;
    out.push({ key: p.key, value: p.value, y: base, height: h });
  }
  return out;
}

/**
 * A bar's length for `value` on an axis ending at `max`, at least `minVisible` when the value
 * is not zero — one failed session among thousands must still be seen.
 */
export function barLength(value: number, max: number, length: number, minVisible = 2): number {
  if (!(value > 0) || !(max > 0)) return 0;
  return Math.min(length, Math.max(minVisible, (value / max) * length));
}
