// Why: "the cameras with the most relayed or failed sessions" and every other ranked bar list
// need one stable order — largest first, ties by label — so a refresh never reshuffles equal
// rows and the top-N cut is the same in the chart and in the test that checks it.

export interface Ranked {
  label: string;
  value: number;
}

/** Rows largest first, ties alphabetical by label (stable across refreshes). */
export function rankRows<T extends Ranked>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
}

/**
 * The first `n` ranked rows; the rest folded into one "others" row (label given) when there
 * are any, so the chart still accounts for every session. Rows worth 0 are left out.
 */
export function topN<T extends Ranked>(rows: readonly T[], n: number, othersLabel?: string): (T | Ranked)[] {
  const ranked = rankRows(rows.filter((r) => r.value > 0));
  if (ranked.length <= n || othersLabel === undefined) return ranked.slice(0, n);
  const rest = ranked.slice(n).reduce((sum, r) => sum + r.value, 0);
  return [...ranked.slice(0, n), { label: othersLabel, value: rest }];
}
