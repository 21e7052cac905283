// Why: time-to-first-frame percentiles two ways — exact (nearest rank) while the raw reports
// exist, and from the roll-up's histogram beyond them, where the answer is the upper edge of
// the bucket the rank falls in (or the last edge, "at least", above it). Pure, unit-tested.
import { OPS_TTFF_EDGES_MS, type OpsPercentiles } from "../../../protocol/index.ts";

/** Nearest-rank percentile (p in 0..1) of ascending `sorted`; null when empty. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

export function exactPercentiles(values: readonly number[]): OpsPercentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95), count: sorted.length };
}

/** counts[i]: sessions in histogram bucket i (OPS_TTFF_EDGES_MS, then one for above the last edge). */
export function histogramPercentile(counts: readonly number[], p: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= rank) return OPS_TTFF_EDGES_MS[Math.min(i, OPS_TTFF_EDGES_MS.length - 1)]!;
  }
  return OPS_TTFF_EDGES_MS[OPS_TTFF_EDGES_MS.length - 1]!;
}

export function histogramPercentiles(counts: readonly number[]): OpsPercentiles {
  return { p50: histogramPercentile(counts, 0.5), p95: histogramPercentile(counts, 0.95), count: counts.reduce((a, b) => a + b, 0) };
}
