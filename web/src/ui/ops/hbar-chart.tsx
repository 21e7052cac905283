// Why: every ranked list on the operator page (failures, cameras, offline reasons, regions) is
// the same picture — one horizontal bar per row, its label above it so long causes and serials
// fit a phone, the figure at the right, optionally split into coloured segments.
import { barLength } from "../../lib/ops-bars.ts";
import { niceScale } from "../../lib/ops-scale.ts";
import { useWidth } from "./use-width.ts";

export interface HBarSegment {
  key: string;
  value: number;
  color: string;
}

export interface HBarRow {
  key: string;
  label: string;
  segments: HBarSegment[];
  /** The figure at the right end ("3", "2 of 4 · 50%"). */
  figure: string;
  /** data-* attributes carrying the exact numbers (the e2e test reads these, not the text). */
  data: Record<string, string | number>;
}

const ROW = 36;
const BAR = 12;

export function HBarChart({ rows, testId, label, max }: { rows: HBarRow[]; testId: string; label: string; max?: number }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const top = max ?? niceScale(Math.max(0, ...rows.map((r) => r.segments.reduce((n, s) => n + s.value, 0)))).max;
  return (
    <div ref={ref} class="ops-chart">
      <svg width={width} height={rows.length * ROW} role="img" aria-label={label} class="ops-svg">
        {rows.map((r, i) => {
          const y = i * ROW;
          let x = 0;
          const dataAttrs = Object.fromEntries(Object.entries(r.data).map(([k, v]) => [`data-${k}`, String(v)]));
          return (
            <g key={r.key} data-testid={testId} {...dataAttrs}>
              <title>{`${r.label}: ${r.figure}`}</title>
              <text x={0} y={y + 13} class="ops-row-label">{r.label}</text>
              <text x={width} y={y + 13} text-anchor="end" class="ops-row-figure">{r.figure}</text>
              <rect x={0} y={y + 18} width={width} height={BAR} rx="3" class="ops-track" />
              {r.segments.map((s) => {
                const w = barLength(s.value, top, width);
                const rect = w > 0 ? <rect key={s.key} x={x} y={y + 18} width={w} height={BAR} rx="3" fill={s.color} /> : null;
                x += w;
                return rect;
              })}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
