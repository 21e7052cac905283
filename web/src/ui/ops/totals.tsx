// Why: the range's headline figures before any chart — how many sessions, over which path,
// how many failed or were refused, and the success rate — each carrying its exact number in
// data-value so the e2e test compares numbers, not rendered text.
import type { OpsSummary } from "../../../../protocol/ops.ts";
import { SESSION_SERIES, seriesTotals } from "../../lib/ops-charts.ts";
import { formatRate } from "../../lib/ops-format.ts";

function Figure({ id, label, value, text, color }: { id: string; label: string; value: number | string; text?: string; color?: string }) {
  return (
    <div class="ops-figure" data-testid={`ops-total-${id}`} data-value={value}>
      <span class="ops-figure__value" style={color ? { color } : undefined}>{text ?? value}</span>
      <span class="ops-figure__label">{label}</span>
    </div>
  );
}

export function Totals({ summary }: { summary: OpsSummary }) {
  const t = summary.totals;
  const by = seriesTotals(summary.sessions);
  return (
    <div class="ops-figures" data-testid="ops-totals">
      <Figure id="started" label="Sessions reported" value={t.started} />
      <Figure id="success-rate" label="Success rate" value={t.successRate ?? ""} text={formatRate(t.successRate)} />
      {SESSION_SERIES.map((s) => (
        <Figure key={s.key} id={s.key} label={s.label} value={by[s.key]} color={s.color} />
      ))}
      <Figure id="abandoned" label="Left before the picture" value={t.abandoned} />
    </div>
  );
}
