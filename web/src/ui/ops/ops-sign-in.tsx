// Why: operators have no user account; they prove who they are with the deployment's admin
// token, typed into a password field and sent once in a POST body (ops-api.ts). The field is
// emptied whatever the answer, so the token does not linger in the page.
import { useState } from "preact/hooks";
import type { UiError } from "../../lib/session-state.ts";
import { opsSignInError } from "../../lib/ops-sign-in-error.ts";
import { opsSignIn } from "../../session/ops-api.ts";
import { FormError } from "../form-error.tsx";

export function OpsSignIn({ onSignedIn, note }: { onSignedIn(): void; note: UiError | null }) {
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!token || busy) return;
    setBusy(true);
    const r = await opsSignIn(token);
    setToken("");
    setBusy(false);
    if (r.ok) return onSignedIn();
    setError(r.error);
  };

  return (
    <main class="page page--narrow">
      <form class="card form" onSubmit={submit} data-testid="ops-sign-in">
        <h1 class="page__title">Operator sign-in</h1>
        <p class="form__note">The operator view shows how the whole fleet connects. Sign in with the deployment's admin token.</p>
        <label class="field">
          <span class="field__label">Admin token</span>
          <input
            class="field__input"
            type="password"
            name="admin-token"
            autocomplete="off"
            required
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
            data-testid="ops-admin-token"
          />
        </label>
        <FormError error={error ? opsSignInError(error) : note} context={{ attempt: "sign-in" }} testId="ops-sign-in-error" />
        <button class="btn btn--primary" type="submit" disabled={busy || !token} data-testid="ops-sign-in-submit">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
