// Why: the owner sees who watched their camera, when, for how long and over which path —
// the audit trail that makes sharing a camera in a home trustworthy.
import { ROLE_LABELS, describeSessionRecord } from "../lib/camera-text.ts";
import { describeReport } from "../lib/session-history-text.ts";
import { listSessions } from "../session/account-api.ts";
import { useOwnerCard } from "./use-owner-card.ts";
import { FormError } from "./form-error.tsx";

/** `paused`: while a session is connecting, the live view has the edge to itself. */
export function SessionHistory({ serial, refreshKey, paused = false }: { serial: string; refreshKey: unknown; paused?: boolean }) {
  const { value: sessions, error } = useOwnerCard(listSessions, serial, refreshKey, paused);

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
