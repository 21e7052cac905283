// Why: the owner sees who watched their camera, when, for how long and over which path —
// the audit trail that makes sharing a camera in a home trustworthy.
import { useEffect, useState } from "preact/hooks";
import type { SessionRecord } from "../../../protocol/accounts.ts";
import { ROLE_LABELS, describeSessionRecord } from "../lib/camera-text.ts";
import { describeReport } from "../lib/session-history-text.ts";
import type { UiError } from "../lib/session-state.ts";
import { listSessions } from "../session/account-api.ts";
import { FormError } from "./form-error.tsx";

/** `paused`: while a session is connecting, the live view has the edge to itself. */
export function SessionHistory({ serial, refreshKey, paused = false }: { serial: string; refreshKey: unknown; paused?: boolean }) {
  const [sessions, setSessions] = useState<SessionRecord[] | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => {
    if (paused) return;
    const abort = new AbortController();
    listSessions(serial, abort.signal)
      .then((r) => {
        if (r.ok) {
          setSessions(r.value);
          setError(null);
        } else setError(r.error);
      })
      .catch(() => undefined);
    return () => abort.abort();
  }, [serial, refreshKey, paused]);

  const now = Date.now();
  return (
    <section class="card" data-testid="session-history">
      <h2 class="card__title">Recent sessions</h2>
      <FormError error={error} />
      {sessions === null && !error && <p class="muted">Loading…</p>}
      {sessions?.length === 0 && <p class="muted">Nobody has watched yet.</p>}
      {sessions && sessions.length > 0 && (
        <ul class="rows">
          {sessions.slice(0, 20).map((s) => {
            const row = describeSessionRecord(s, now);
            // The owner is the camera's only owner-role viewer: any other row is someone else's session.
            const report = describeReport(s, { ownSession: s.role === "owner" });
            return (
              <li key={s.sessionId} class="row" data-testid="session-row" data-session-id={s.sessionId} data-outcome={s.report?.outcome} data-stage={s.report?.stage}>
                <span class="row__main">
                  <span class="row__title">{row.who}</span>
                  <span class="row__sub">
                    {row.when} · {row.duration} · {row.path}
                    {report && (
                      <>
                        {" · "}
                        <span class={`outcome outcome--${report.tone}`} data-testid="session-outcome">{report.outcome}</span>
                        {report.ttff && <span data-testid="session-ttff">{` · ${report.ttff}`}</span>}
                      </>
                    )}
                  </span>
                  {report && (
                    <span class="row__sub row__why" data-testid="session-explanation" data-mismatch={report.mismatch ? "true" : undefined}>
                      {report.explanation}
                    </span>
                  )}
                </span>
                <span class={`role role--${s.role}`}>{ROLE_LABELS[s.role]}</span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
