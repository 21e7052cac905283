// Why: "how long until the picture" as a histogram of total time to first frame (the edge's
// fixed buckets, protocol/ops.ts), and beside it where the time goes: p50 and p95 per phase.
import type { OpsTtff } from "../../../../protocol/ops.ts";
import { columnSlots } from "../../lib/ops-bars.ts";
import { PHASES, ttffBinLabel } from "../../lib/ops-charts.ts";
import { formatCount, formatMs } from "../../lib/ops-format.ts";
import { niceScale } from "../../lib/ops-scale.ts";
import { HBarChart, type HBarRow } from "./hbar-chart.tsx";
import { Legend } from "./legend.tsx";
import { useWidth } from "./use-width.ts";

const H = 170;
const PAD = { top: 16, bottom: 24, left: 30 };
const P50 = "var(--accent)";
const P95 = "var(--relay)";

export function TtffHistogram({ buckets }: { buckets: OpsTtff["buckets"] }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const plotW = Math.max(10, width - PAD.left);
  const plotH = H - PAD.top - PAD.bottom;
  const scale = niceScale(Math.max(0, ...buckets.map((b) => b.count)));
  const slots = columnSlots(buckets.length, plotW, 0.15, 64);
  return (
    <div ref={ref} class="ops-chart">
      <svg width={width} height={H} role="img" aria-label="Time to first frame, histogram" class="ops-svg">
        {scale.ticks.map((t) => {
          const y = PAD.top + plotH - (t / scale.max) * plotH;
          return (
            <g key={t}>
              <line x1={PAD.left} x2={width} y1={y} y2={y} class="ops-gridline" />
              <text x={PAD.left - 6} y={y + 4} text-anchor="end" class="ops-axis">{formatCount(t)}</text>
            </g>
          );
        })}
        {buckets.map((b, i) => {
          const s = slots[i]!;
          const h = (b.count / scale.max) * plotH;
          const label = ttffBinLabel(b.le, i > 0 ? buckets[i - 1]!.le : null);
          return (
            <g key={b.le ?? "inf"} data-testid="ops-ttff-bin" data-le={b.le ?? "inf"} data-value={b.count}>
              <title>{`${label}: ${b.count}`}</title>
              <rect x={PAD.left + s.x} y={PAD.top + plotH - h} width={s.width} height={h} fill="var(--accent)" />
              {b.count > 0 && (
                <text x={PAD.left + s.x + s.width / 2} y={PAD.top + plotH - h - 4} text-anchor="middle" class="ops-axis">{b.count}</text>
              )}
              <text x={PAD.left + s.x + s.width / 2} y={H - 8} text-anchor="middle" class="ops-axis ops-axis--small">{label}</text>
            </g>
          );
        })}
        <line x1={PAD.left} x2={width} y1={PAD.top + plotH} y2={PAD.top + plotH} class="ops-baseline" />
      </svg>
    </div>
  );
}

/** p50 and p95 of each phase as a pair of bars on one time axis. */
export function PhasePercentiles({ phases }: { phases: OpsTtff["phases"] }) {
  const max = niceScale(Math.max(0, ...PHASES.map((p) => phases[p.key].p95 ?? 0)), 4, 0).max;
  const rows: HBarRow[] = PHASES.flatMap((p) => {
    const v = phases[p.key];
    const data = { phase: p.key, p50: v.p50 ?? "", p95: v.p95 ?? "", count: v.count };
    return [
      { key: `${p.key}-50`, label: `${p.label} · p50`, segments: [{ key: "p50", value: v.p50 ?? 0, color: P50 }], figure: formatMs(v.p50), data: { ...data, percentile: "p50" } },
      { key: `${p.key}-95`, label: `${p.label} · p95`, segments: [{ key: "p95", value: v.p95 ?? 0, color: P95 }], figure: formatMs(v.p95), data: { ...data, percentile: "p95" } },
    ];
  });
  return (
    <>
      <HBarChart rows={rows} testId="ops-phase" label="p50 and p95 per connection phase" max={max} />
      <Legend items={[{ key: "p50", label: "p50 (median)", color: P50 }, { key: "p95", label: "p95", color: P95 }]} />
    </>
  );
}
