// Why: the operator view's numbers in one voice — a share never reads "100%" while one session
// failed, nor "0%" when a few did, and a page with no sessions says "—" rather than "NaN%".

/** `part` of `whole` as a whole percentage: "—" for no whole, "<1%" and ">99%" at the edges. */
export function formatPercent(part: number, whole: number): string {
  if (!(whole > 0)) return "—";
  const p = (100 * part) / whole;
  if (p <= 0) return "0%";
  if (p >= 100) return "100%";
  if (p < 1) return "<1%";
  if (p > 99) return ">99%";
  return `${Math.round(p)}%`;
}

/** A fraction (0…1, or null when there is nothing to divide) as a percentage. */
export function formatRate(rate: number | null): string {
  return rate === null || !Number.isFinite(rate) ? "—" : formatPercent(rate, 1);
}

/** A duration of a connection phase: "850 ms", "1.2 s", "14 s"; "—" when not measured. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

/** A count for an axis or a bar end: 950, 1.2k, 15k. */
export function formatCount(n: number): string {
  if (n < 1000) return String(Math.round(n * 100) / 100);
  const k = n / 1000;
  return k < 10 ? `${Number(k.toFixed(1))}k` : `${Math.round(k)}k`;
}
