// Why: the page's charts laid out in cards, each fed its rows from the summary (lib/ops-charts.ts)
// and linked to its own JSON route with the same window.
import type { OpsSummary } from "../../../../protocol/ops.ts";
import { cameraRows, failureRows, offlineRows, refusalRows, regionRows } from "../../lib/ops-charts.ts";
import { formatRate } from "../../lib/ops-format.ts";
import { opsChartUrl } from "../../session/ops-api.ts";
import { ChartCard, EmptyChart } from "./chart-card.tsx";
import { HBarChart, type HBarRow } from "./hbar-chart.tsx";
import { Legend } from "./legend.tsx";
import { SessionsChart } from "./sessions-chart.tsx";
import { PhasePercentiles, TtffHistogram } from "./ttff-chart.tsx";

const RELAY = "var(--relay)";
const FAILED = "var(--bad)";
const OTHER = "var(--muted)";
const WARN = "var(--warn)";

/** One bar per row, as long as its count, with the count as its figure and in data-value. */
function countBars<R extends { label: string; value: number }>(rows: R[], color: string, id: (r: R) => { key: string; data: Record<string, string> }): HBarRow[] {
  return rows.map((r) => {
    const { key, data } = id(r);
    return { key, label: r.label, segments: [{ key: "n", value: r.value, color }], figure: String(r.value), data: { ...data, value: r.value } };
  });
}

export function OpsCharts({ summary: s, window: w, topCameras }: { summary: OpsSummary; window: { from: number; to: number }; topCameras: number }) {
  const failures = countBars(failureRows(s.failures), FAILED, (r) => ({ key: `${r.stage}:${r.cause ?? ""}`, data: { stage: r.stage, cause: r.cause ?? "" } }));
  const refusals = countBars(refusalRows(s.refusals), WARN, (r) => ({ key: r.code, data: { code: r.code } }));
  const cameras: HBarRow[] = cameraRows(s.cameras, topCameras).map((r) => ({
    key: r.serial,
    label: r.serial,
    segments: [
      { key: "relayed", value: r.relayed, color: RELAY },
      { key: "failed", value: r.failed, color: FAILED },
    ],
    figure: `${r.relayed} relayed · ${r.failed} failed · of ${r.total}`,
    data: { serial: r.serial, relayed: r.relayed, failed: r.failed, total: r.total },
  }));
  const offline = countBars(offlineRows(s.offline), WARN, (r) => ({ key: r.reason, data: { reason: r.reason } }));
  const regions: HBarRow[] = regionRows(s.regions).map((r) => ({
    key: `${r.region}:${r.colo}`,
    label: r.label,
    segments: [
      { key: "relayed", value: r.relayed, color: RELAY },
      { key: "direct", value: r.value - r.relayed, color: OTHER },
    ],
    figure: `${formatRate(r.share)} relayed · ${r.relayed} of ${r.value}`,
    data: { region: r.region, colo: r.colo, total: r.value, relayed: r.relayed },
  }));
  const ttffCount = s.ttff.buckets.reduce((n, b) => n + b.count, 0);

  return (
    <div class="ops-grid">
      <ChartCard
        wide
        title="Sessions by path"
        note="Sessions that got a picture by the path they ended on, then failed (no picture, an error) and refused (turned away by the edge)."
        json={opsChartUrl("sessions", w)}
        testId="ops-chart-sessions"
      >
        <SessionsChart buckets={s.sessions} bucketMs={s.bucketMs} />
      </ChartCard>
      <ChartCard title="Time to first frame" note={`${ttffCount} sessions with a picture.`} json={opsChartUrl("ttff", w)} testId="ops-chart-ttff">
        {ttffCount ? <TtffHistogram buckets={s.ttff.buckets} /> : <EmptyChart text="No session got a picture in this range." />}
      </ChartCard>
      <ChartCard
        title="Where the time goes"
        note={s.ttff.source === "histogram" ? "Percentiles from the histogram's bucket edges: the range reaches past the raw reports kept." : "p50 and p95 per phase."}
        json={opsChartUrl("ttff", w)}
        testId="ops-chart-phases"
      >
        <PhasePercentiles phases={s.ttff.phases} />
      </ChartCard>
      <ChartCard title="Failures by stage and cause" json={opsChartUrl("failures", w)} testId="ops-chart-failures">
        {failures.length ? <HBarChart rows={failures} testId="ops-failure-row" label="Failed sessions by stage and cause" /> : <EmptyChart text="No failed sessions in this range." />}
      </ChartCard>
      <ChartCard title="Refused by the edge" note="Viewers whose sign-in or code checked out, turned away before a session, by why." json={opsChartUrl("failures", w)} testId="ops-chart-refusals">
        {refusals.length ? <HBarChart rows={refusals} testId="ops-refusal-row" label="Refused viewers by reason" /> : <EmptyChart text="No viewer was refused in this range." />}
      </ChartCard>
      <ChartCard title="Cameras relaying or failing most" note={`Top ${topCameras} by relayed + failed sessions.`} json={opsChartUrl("cameras", w)} testId="ops-chart-cameras">
        {cameras.length ? (
          <>
            <HBarChart rows={cameras} testId="ops-camera-row" label="Cameras with the most relayed or failed sessions" />
            <Legend items={[{ key: "r", label: "Relayed", color: RELAY }, { key: "f", label: "Failed", color: FAILED }]} />
          </>
        ) : (
          <EmptyChart text="No camera relayed or failed a session in this range." />
        )}
      </ChartCard>
      <ChartCard title="Devices offline by reason" note="Camera connections that ended in this range, by why." json={opsChartUrl("offline", w)} testId="ops-chart-offline">
        {offline.length ? <HBarChart rows={offline} testId="ops-offline-row" label="Device disconnects by reason" /> : <EmptyChart text="No camera went offline in this range." />}
      </ChartCard>
      <ChartCard title="Relay share by region" note="By the TURN region handed out first and the edge location." json={opsChartUrl("regions", w)} testId="ops-chart-regions">
        {regions.length ? (
          <>
            <HBarChart rows={regions} testId="ops-region-row" label="Relay share by region" />
            <Legend items={[{ key: "r", label: "Relayed", color: RELAY }, { key: "d", label: "Not relayed", color: OTHER }]} />
          </>
        ) : (
          <EmptyChart text="No sessions in this range." />
        )}
      </ChartCard>
    </div>
  );
}
