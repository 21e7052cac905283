// Why: "tell me when something moves" (issue 13): one switch per camera for this account, and
// this browser's quiet hours. Small on purpose: it sits under the live view for every role.
import { useEffect, useState } from "preact/hooks";
import type { QuietHours } from "../../../protocol/push.ts";
import { browserSupport } from "../lib/browser-support.ts";
import { storedQuietHours, subscribeThisBrowser } from "../lib/push-subscription.ts";
import type { UiError } from "../lib/session-state.ts";
import { getCameraPush, setCameraPush } from "../session/push-api.ts";
import { FormError } from "./form-error.tsx";

const DEFAULT_QUIET: QuietHours = { start: "22:00", end: "07:00" };

export function CameraNotifications({ serial, paused = false }: { serial: string; paused?: boolean }) {
  const [on, setOn] = useState<boolean | null>(null);
  const [quiet, setQuiet] = useState<QuietHours | null>(() => storedQuietHours());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | string | null>(null);
  const supported = browserSupport().push;

  useEffect(() => {
    if (paused) return;
    const abort = new AbortController();
    getCameraPush(serial, abort.signal)
      .then((r) => (r.ok ? setOn(r.value.on) : setError(r.error)))
      .catch(() => undefined);
    return () => abort.abort();
  }, [serial, paused]);

  const apply = async (nextOn: boolean, nextQuiet: QuietHours | null) => {
    setBusy(true);
    setError(null);
    if (nextOn) {
      const sub = await subscribeThisBrowser(nextQuiet);
      if (!sub.ok) {
        setBusy(false);
        return setError(sub.error);
      }
    }
    const r = await setCameraPush(serial, nextOn);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setOn(r.value.on);
    setQuiet(nextQuiet);
  };

  return (
    <section class="card settings" data-testid="notifications-panel">
      <h2 class="card__title">Notifications</h2>
      {!supported ? (
        <p class="muted">This browser can't show notifications from Porthole{/iP(hone|ad)/.test(navigator.userAgent) ? " until it's added to the Home Screen" : ""}.</p>
      ) : (
        <>
          <label class="toggle">
            <input type="checkbox" data-testid="notifications-toggle" checked={on === true} disabled={busy || on === null} onChange={(e) => void apply(e.currentTarget.checked, quiet)} />
            <span>
              <span class="toggle__label">Notify me when this camera sees motion</span>
              <span class="field__hint">Camera name and time only — at most one a minute. Tap it to open the camera.</span>
            </span>
          </label>
          {on && (
            <div class="settings__row">
              <label class="toggle">
                <input type="checkbox" data-testid="quiet-hours-toggle" checked={quiet !== null} disabled={busy} onChange={(e) => void apply(true, e.currentTarget.checked ? DEFAULT_QUIET : null)} />
                <span class="toggle__label">Quiet hours on this device</span>
              </label>
              {quiet && (
                <>
                  <input class="field__input" type="time" aria-label="Quiet from" data-testid="quiet-start" value={quiet.start} disabled={busy} onChange={(e) => void apply(true, { ...quiet, start: e.currentTarget.value || quiet.start })} />
                  <input class="field__input" type="time" aria-label="Quiet until" data-testid="quiet-end" value={quiet.end} disabled={busy} onChange={(e) => void apply(true, { ...quiet, end: e.currentTarget.value || quiet.end })} />
                </>
              )}
            </div>
          )}
        </>
      )}
      <FormError error={error} testId="notifications-error" />
    </section>
  );
}
