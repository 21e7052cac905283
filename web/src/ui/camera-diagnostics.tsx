// Why: the owner sees, in plain words, why the camera is offline and what to check, when it was
// last online, its network's NAT type, its last doctor run and how its recent connections ended.
import { describeConnection, doctorSummaryText, explainOffline, lastOnlineText, natText } from "../lib/offline-reason.ts";
import { getDiagnostics } from "../session/diagnostics-api.ts";
import { useOwnerCard } from "./use-owner-card.ts";
import { FormError } from "./form-error.tsx";

/** `refreshKey`: reload when it changes (the camera's online state, the session's phase). */
export function CameraDiagnosticsCard({ serial, refreshKey, paused = false }: { serial: string; refreshKey: unknown; paused?: boolean }) {
  const { value: diag, error } = useOwnerCard(getDiagnostics, serial, refreshKey, paused);

  const now = Date.now();
  const why = diag ? explainOffline(diag) : null;
  const nat = diag ? natText(diag.nat, now) : null;
  const doctor = diag ? doctorSummaryText(diag.doctor, now) : null;
  return (
    <section class="card" data-testid="camera-diagnostics" data-online={diag ? String(diag.online) : undefined}>
      <h2 class="card__title">{why ? "Why the camera is offline" : "Camera connection"}</h2>
      <FormError error={error} />
      {!diag && !error && <p class="muted">Loading…</p>}
      {why && (
        <div data-testid="offline-explanation" data-reason={why.kind}>
          <p data-testid="offline-headline"><strong>{why.headline}</strong></p>
          <p>{why.detail}</p>
          <p class="muted">What to check:</p>
          <ol data-testid="offline-checklist">
            {why.checklist.map((item) => <li key={item}>{item}</li>)}
          </ol>
        </div>
      )}
      {diag && <p data-testid="last-online">{lastOnlineText(diag, now)}</p>}
      {nat && <p data-testid="camera-nat">Camera's network: {nat}</p>}
      {doctor && <p data-testid="doctor-summary">{doctor}</p>}
      {diag && diag.connections.length > 0 && (
        <ul class="rows" data-testid="connection-history">
          {diag.connections.map((c) => {
            const row = describeConnection(c, now);
            return (
              <li key={c.connectedAt} class="row" data-testid="connection-row" data-reason={c.reason ?? "open"}>
                <span class="row__main">
                  <span class="row__title">{row.reason}</span>
                  <span class="row__sub">{row.when}</span>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
