// Why: the operator view (issue 15 item 3) — how the whole fleet connects, as pictures: sessions
// by path over time with the success rate, time to first frame, failures by stage and cause,
// the cameras that relay or fail most, why devices went offline, relay share by region. One
// GET /api/ops/summary per range; each chart links its own JSON route for other tools.
import "./ops.css";
import { useCallback, useEffect, useState } from "preact/hooks";
import type { OpsSummary } from "../../../../protocol/ops.ts";
import { OPS_TOP_CAMERAS } from "../../../../protocol/ops.ts";
import type { UiError } from "../../lib/session-state.ts";
import { rangeWindow, type OpsRangeId } from "../../lib/ops-range.ts";
import { getOpsMe, getOpsSummary, opsSignOut } from "../../session/ops-api.ts";
import { FormError } from "../form-error.tsx";
import { OpsCharts } from "./ops-charts.tsx";
import { OpsSignIn } from "./ops-sign-in.tsx";
import { RangeSelect } from "./range-select.tsx";
import { Totals } from "./totals.tsx";

type Access = { status: "checking" } | { status: "signed-out"; note: UiError | null } | { status: "operator" };

interface Loaded {
  /** The range the shown summary is for (data-range: tests wait for the one they chose). */
  range: OpsRangeId;
  window: { from: number; to: number };
  summary: OpsSummary | null;
  loading: boolean;
  error: UiError | null;
}

export function OpsPage() {
  const [access, setAccess] = useState<Access>({ status: "checking" });
  const [range, setRange] = useState<OpsRangeId>("24h");
  const [loaded, setLoaded] = useState<Loaded>(() => ({ range: "24h", window: rangeWindow("24h", Date.now()), summary: null, loading: true, error: null }));
  const [refresh, setRefresh] = useState(0);

  // Whether this browser already holds an operator cookie; anything but a yes shows the sign-in.
  useEffect(() => {
    const abort = new AbortController();
    getOpsMe(abort.signal)
      .then((r) => {
        const other = !r.ok && r.error.code !== "operator_required" ? r.error : null;
        setAccess(r.ok ? { status: "operator" } : { status: "signed-out", note: other });
      })
      .catch(() => undefined);
    return () => abort.abort();
  }, []);

  // The summary for the chosen range, again on a range change or Refresh (each ends "now").
  useEffect(() => {
    if (access.status !== "operator") return;
    const abort = new AbortController();
    const window = rangeWindow(range, Date.now());
    setLoaded((l) => ({ ...l, window, loading: true, error: null }));
    getOpsSummary(window, abort.signal)
      .then((r) => {
        // An operator session lasts an hour (OPS_SESSION_SECONDS); when it ends, sign in again.
        if (!r.ok && r.error.code === "operator_required") return setAccess({ status: "signed-out", note: r.error });
        setLoaded((l) => (r.ok ? { range, window, summary: r.value, loading: false, error: null } : { ...l, loading: false, error: r.error }));
      })
      .catch(() => undefined);
    return () => abort.abort();
  }, [access.status, range, refresh]);

  const signOut = useCallback(async () => {
    await opsSignOut();
    setLoaded((l) => ({ ...l, summary: null }));
    setAccess({ status: "signed-out", note: null });
  }, []);

  if (access.status === "checking") {
    return <main class="page"><p class="muted" data-testid="ops-loading">Loading…</p></main>;
  }
  if (access.status === "signed-out") {
    return <OpsSignIn note={access.note} onSignedIn={() => setAccess({ status: "operator" })} />;
  }

  const s = loaded.summary;
  return (
    <main class="page ops" data-testid="ops-page" data-range={loaded.range} data-loading={loaded.loading ? "true" : "false"}>
      <div class="page__head">
        <h1 class="page__title">Operator view</h1>
        <button type="button" class="btn btn--small btn--ghost" onClick={() => void signOut()} data-testid="ops-sign-out">
          Sign out
        </button>
      </div>
      <div class="ops-toolbar">
        <RangeSelect value={range} onChange={setRange} />
        <button type="button" class="btn btn--small" onClick={() => setRefresh((n) => n + 1)} disabled={loaded.loading} data-testid="ops-refresh">
          {loaded.loading ? "Loading…" : "Refresh"}
        </button>
      </div>
      <FormError error={loaded.error} testId="ops-error" />
      {s && (
        <>
          <p class="ops-span muted" data-testid="ops-span" data-from={s.from} data-to={s.to} data-bucket-ms={s.bucketMs}>
            {spanText(s)}
          </p>
          <Totals summary={s} />
          <OpsCharts summary={s} window={loaded.window} topCameras={OPS_TOP_CAMERAS} />
        </>
      )}
    </main>
  );
}

/** "7 Dec 22:00 – 8 Dec 23:00 UTC, by hour": the window the edge actually counted (whole buckets). */
function spanText(s: OpsSummary): string {
  const f = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" });
  return `${f.format(new Date(s.from))} – ${f.format(new Date(s.to))} UTC, by ${s.bucketMs >= 86_400_000 ? "day" : "hour"}`;
}
