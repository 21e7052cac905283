// Why: "Test my connection" — what a person (or support, or the NAT lab) needs when a camera will
// not connect or is always relayed: does the edge answer, do relays work, what NAT is this network
// behind, and which path should a chosen camera take. The result is also in data-* attributes on
// the page root, so automation reads the same verdict people see.
import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Camera } from "../../../protocol/accounts.ts";
import { NAT_TYPE_LABELS } from "../../../protocol/nat-labels.ts";
import { listCameras } from "../session/account-api.ts";
import { reportText } from "../nat/report-text.ts";
import { runConnectionTest, type Progress } from "../nat/run-connection-test.ts";
import type { CheckStatus, ConnectionTestResult } from "../nat/test-result.ts";
import { PATH_LABELS } from "../nat/verdict.ts";
import { CheckIcon, CrossIcon } from "./icons.tsx";
import { navigate } from "./use-route.ts";

const ms = (v: number | null) => (v === null ? "" : ` · ${Math.round(v)} ms`);
/** One check in the live page's stage-list look: a dot with ✓ / ✗, the name, the detail on the right. */
function Check({ id, label, status, detail }: { id: string; label: string; status: CheckStatus; detail: string }) {
  return (
    <li class={`stage stage--${status === "pass" ? "done" : status === "fail" ? "failed" : "pending"}`} data-testid={id} data-status={status}>
      <span class="stage__dot">
        {status === "pass" ? <CheckIcon width={12} height={12} stroke-width={3} /> : status === "fail" ? <CrossIcon width={12} height={12} stroke-width={3} /> : null}
      </span>
      <span class="stage__label">{label}</span>
      <span class="stage__detail">{detail.replace(/^ · /, "")}</span>
    </li>
  );
}

/** The root's data-* attributes: the NAT lab's and the e2e's way in (README "Test my connection"). */
function hooks(r: ConnectionTestResult | null, running: boolean): Record<string, string> {
  const a: Record<string, string> = { "data-state": running ? "running" : r ? "done" : "idle" };
  if (!r) return a;
  a["data-edge"] = r.edge.status;
  a["data-websocket"] = r.websocket.status;
  if (r.ice) {
    a["data-nat-type"] = r.ice.natType;
    a["data-nat-mapping"] = r.ice.side.mapping;
    a["data-nat-filtering"] = r.ice.side.filtering;
    a["data-udp-blocked"] = String(r.ice.side.udpBlocked);
    for (const t of r.ice.relays) a[`data-relay-${t.transport}`] = t.status;
  }
  if (r.camera) {
    a["data-predicted-path"] = r.camera.prediction.path;
    a["data-prediction-reason"] = r.camera.prediction.reason;
    a["data-same-network"] = String(r.camera.sameNetwork);
  }
  return a;
}

export function ConnectionTestPage({ signedIn, camera }: { signedIn: boolean; camera: string | null }) {
  const [cameras, setCameras] = useState<Camera[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(camera);
  const [result, setResult] = useState<ConnectionTestResult | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [report, setReport] = useState<string | null>(null);
  const [copied, setCopied] = useState<"copied" | "select" | null>(null);
  const running = progress !== null && progress !== "done";

  useEffect(() => {
    if (!signedIn) return;
    void listCameras().then((r) => setCameras(r.ok ? r.value : []));
  }, [signedIn]);

  const run = async (serial: string | null) => {
    setReport(null);
    setCopied(null);
    setProgress("edge");
    try {
      const r = await runConnectionTest({ camera: serial, signedIn, onProgress: setProgress });
      setResult(r);
      (window as unknown as { __portholeConnectionTest?: ConnectionTestResult }).__portholeConnectionTest = r;
    } finally {
      setProgress("done");
    }
  };

  // Opening the page runs the test: that is what the links from errors and the camera page ask for.
  useEffect(() => void run(chosen), []);

  const choose = (serial: string | null) => {
    setChosen(serial);
    navigate({ name: "connection-test", ...(serial ? { camera: serial } : {}) }, { replace: true });
    void run(serial);
  };

  const copy = async () => {
    if (!result) return;
    const text = reportText(result, location.origin);
    setReport(text);
    try {
      await navigator.clipboard.writeText(text);
      setCopied("copied");
    } catch {
      setCopied("select"); // no clipboard permission: the text is shown to copy by hand
    }
  };

  const ice = result?.ice ?? null;
  return (
    <main class="page page--narrow" data-testid="connection-test" {...hooks(result, running)}>
      <div class="card">
        <h1 class="page__title">Test my connection</h1>
        <p class="muted">Checks that this device reaches Porthole, which relay transports work, and what kind of NAT your network is behind — then what that means for a camera.</p>
        {signedIn && cameras && cameras.length > 0 && (
          <label class="field">
            <span>Camera</span>
            <select data-testid="connection-test-camera" value={chosen ?? ""} disabled={running} onChange={(e) => choose((e.target as HTMLSelectElement).value || null)}>
              <option value="">No camera — test my network only</option>
              {cameras.map((c) => (
                <option value={c.serial} key={c.serial}>{c.name} ({c.serial})</option>
              ))}
            </select>
          </label>
        )}
        <div class="settings__row">
          <button type="button" class="btn btn--primary btn--small" data-testid="connection-test-run" disabled={running} onClick={() => void run(chosen)}>
            {running ? (progress === "edge" ? "Checking the edge…" : "Testing relays and NAT…") : "Run again"}
          </button>
          <button type="button" class="btn btn--small btn--ghost" data-testid="copy-report" disabled={running || !result} onClick={() => void copy()}>Copy report</button>
          {copied === "copied" && <span class="muted" data-testid="report-copied">Copied</span>}
        </div>
      </div>

      {result && (
        <div class="card">
          <h2 class="card__title">This device</h2>
          {ice && <p data-testid="network-verdict"><strong>{ice.verdict}</strong></p>}
          <ul class="stages">
            <Check id="check-edge" label="Porthole answers" status={result.edge.status} detail={`${result.edge.detail ?? ""}${ms(result.edge.rttMs)}`} />
            <Check id="check-websocket" label="WebSocket to Porthole" status={result.websocket.status} detail={`${result.websocket.detail ?? ""}${ms(result.websocket.openMs)}`} />
            {ice?.relays.map((t) => (
              <Check key={t.transport} id={`relay-${t.transport}`} label={`Relay over ${t.transport.toUpperCase()}`} status={t.status} detail={`${t.detail ?? ""}${t.allocateMs !== null ? ` · relay ready in ${Math.round(t.allocateMs)} ms` : ""}`} />
            ))}
          </ul>
          {ice && (
            <dl class="facts" data-testid="nat-details">
              <dt>NAT type</dt><dd data-testid="nat-type">{NAT_TYPE_LABELS[ice.natType]}</dd>
              <dt>Mapping</dt><dd>{ice.mapping.mapping} (tested: {ice.mapping.coverage})</dd>
              <dt>Filtering</dt><dd>{ice.filtering.filtering}{ice.filtering.lowerBound ? " (or less strict)" : ""}</dd>
              <dt>Public address</dt><dd>{ice.publicAddress ?? "—"}</dd>
              {ice.stun.map((s) => (
                <Fragment key={s.role}>
                  <dt>STUN {s.role}</dt><dd>{s.answered ? `answered${s.mapped ? ` (${s.mapped.replace(/\d+\.\d+(?=:\d+$)/, "x.x")})` : ""}` : "no answer"}</dd>
                </Fragment>
              ))}
            </dl>
          )}
          {result.notes.map((n) => <p class="muted" key={n} data-testid="connection-test-note">{n}</p>)}
        </div>
      )}

      {result?.camera && (
        <div class="card" data-testid="camera-prediction">
          <h2 class="card__title">{result.camera.name}</h2>
          <p>
            Expected path: <strong data-testid="predicted-path">{PATH_LABELS[result.camera.prediction.path]}</strong>
          </p>
          <p data-testid="prediction-advice">{result.camera.advice}</p>
          <p class="muted">
            Camera's network: {result.camera.nat ? NAT_TYPE_LABELS[result.camera.nat.natType] : "not reported yet"}
            {result.camera.online ? "" : " · the camera is offline now"}
          </p>
        </div>
      )}

      {report && (
        <div class="card">
          <h2 class="card__title">Report</h2>
          {copied === "select" && <p class="muted">Copying is not allowed here: select the text and copy it.</p>}
          <textarea class="report" data-testid="report-text" readOnly rows={14} value={report} />
        </div>
      )}
    </main>
  );
}
