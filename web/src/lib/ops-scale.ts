// Why: a chart's axis should end on a number people read at a glance (5, 20, 500 — not 37),
// with a few evenly spaced ticks; counts never get fractional ticks ("1.5 sessions").

export interface Scale {
  /** The top of the axis: ≥ the largest value, and a multiple of `step`. */
  max: number;
  step: number;
  /** 0, step, 2·step … max. */
  ticks: number[];
}

/** The nice number (1, 2 or 5 × 10^k) at or above `x` (> 0). */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const exp = 10 ** Math.floor(Math.log10(x));
  const f = x / exp;
  // Rounded so 0.1 × 3 style float noise never leaks into a label.
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return Number((nice * exp).toPrecision(12));
}

/**
 * An axis from 0 for values up to `value`, with about `targetTicks` steps; `minStep` 1 keeps
 * count axes whole. An empty chart (value 0) still gets an axis of one step.
 */
export function niceScale(value: number, targetTicks = 4, minStep = 1): Scale {
  const v = Number.isFinite(value) && value > 0 ? value : 0;
  const step = Math.max(minStep, niceStep(v / Math.max(1, targetTicks)));
  const max = Math.max(step, Math.ceil(Number((v / step).toPrecision(12))) * step);
  const ticks: number[] = [];
  for (let i = 0; i * step <= max + step / 1e9; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { max, step, ticks };
}
