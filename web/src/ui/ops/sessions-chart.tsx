// Why: "how are sessions connecting, over time" as one picture — a stacked column per bucket
// (LAN, P2P, relay, then failed and refused on top) with the success rate drawn over it as a
// line on its own 0–100 % axis.
import type { OpsSessionBucket } from "../../../../protocol/ops.ts";
import { columnSlots, stackColumn } from "../../lib/ops-bars.ts";
import { bucketSuccessRate, SESSION_SERIES } from "../../lib/ops-charts.ts";
import { formatCount, formatRate } from "../../lib/ops-format.ts";
import { bucketLabel, bucketTitle, labelStep } from "../../lib/ops-range.ts";
import { niceScale } from "../../lib/ops-scale.ts";
import { Legend } from "./legend.tsx";
import { useWidth } from "./use-width.ts";

const H = 220;
const PAD = { top: 12, right: 40, bottom: 26, left: 36 };
const RATE_COLOR = "var(--text)";

export function SessionsChart({ buckets, bucketMs }: { buckets: OpsSessionBucket[]; bucketMs: number }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const plotH = H - PAD.top - PAD.bottom;
  const totals = buckets.map((b) => SESSION_SERIES.reduce((n, s) => n + b[s.key], 0));
  const scale = niceScale(Math.max(0, ...totals));
  const slots = columnSlots(buckets.length, plotW, 0.25, 56);
  const every = labelStep(buckets.length, Math.max(2, Math.floor(plotW / 56)));
  const rates = buckets.map(bucketSuccessRate);
  const rateY = (r: number) => PAD.top + (1 - r) * plotH;

  // The rate line breaks where a bucket had no sessions to rate (null), rather than dipping to 0.
  const runs: string[] = [];
  let run: string[] = [];
  rates.forEach((r, i) => {
    if (r === null) {
      if (run.length) runs.push(run.join(" "));
      run = [];
      return;
    }
    const s = slots[i]!;
    run.push(`${(PAD.left + s.x + s.width / 2).toFixed(1)},${rateY(r).toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(" "));

  return (
    <div ref={ref} class="ops-chart">
      <svg width={width} height={H} role="img" aria-label="Sessions over time by path, with the success rate" class="ops-svg">
        {scale.ticks.map((t) => {
          const y = PAD.top + plotH - (t / scale.max) * plotH;
          return (
            <g key={t}>
              <line x1={PAD.left} x2={PAD.left + plotW} y1={y} y2={y} class="ops-gridline" />
              <text x={PAD.left - 6} y={y + 4} text-anchor="end" class="ops-axis">{formatCount(t)}</text>
            </g>
          );
        })}
        {[0, 0.5, 1].map((r) => (
          <text key={r} x={PAD.left + plotW + 6} y={rateY(r) + 4} class="ops-axis">{formatRate(r)}</text>
        ))}
        {buckets.map((b, i) => {
          const s = slots[i]!;
          const segs = stackColumn(SESSION_SERIES.map((x) => ({ key: x.key, value: b[x.key] })), scale.max, plotH);
          const detail = SESSION_SERIES.map((x) => `${x.label} ${b[x.key]}`).join(", ");
          return (
            <g
              key={b.at}
              data-testid="ops-bucket"
              data-at={b.at}
              data-lan={b.lan}
              data-p2p={b.p2p}
              data-relay={b.relay}
              data-failed={b.failed}
              data-refused={b.refused}
            >
              <title>{`${bucketTitle(b.at, bucketMs)}: ${detail}; success ${formatRate(rates[i] ?? null)}`}</title>
              {/* An invisible full-height target, so an empty or thin bucket still shows its tooltip. */}
              <rect x={PAD.left + s.x} y={PAD.top} width={s.width} height={plotH} fill="transparent" />
              {segs.map((g) => (
                <rect
                  key={g.key}
                  x={PAD.left + s.x}
                  y={PAD.top + g.y}
                  width={s.width}
                  height={g.height}
                  fill={SESSION_SERIES.find((x) => x.key === g.key)!.color}
                />
              ))}
              {i % every === 0 && (
                <text x={PAD.left + s.x + s.width / 2} y={H - 8} text-anchor="middle" class="ops-axis">
                  {bucketLabel(b.at, bucketMs)}
                </text>
              )}
            </g>
          );
        })}
        {runs.map((points) => (
          <polyline key={points} points={points} fill="none" stroke={RATE_COLOR} stroke-width="2" stroke-linejoin="round" />
        ))}
        {rates.map((r, i) =>
          r === null ? null : <circle key={i} cx={PAD.left + slots[i]!.x + slots[i]!.width / 2} cy={rateY(r)} r="3" fill={RATE_COLOR} />,
        )}
        <line x1={PAD.left} x2={PAD.left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} class="ops-baseline" />
      </svg>
      <Legend items={[...SESSION_SERIES, { key: "rate", label: "Success rate", color: RATE_COLOR }]} />
    </div>
  );
}
