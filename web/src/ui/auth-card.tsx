// Why: sign in and create an account — one card, two tabs, the same two fields. Checks the
// fields first (account-forms.ts) and shows the edge's answer in words (error-messages.ts).
import { useState } from "preact/hooks";
import type { Me } from "../../../protocol/accounts.ts";
import { validateCredentials } from "../lib/account-forms.ts";
import type { UiError } from "../lib/session-state.ts";
import { signIn, signUp } from "../session/account-api.ts";
import { FormError } from "./form-error.tsx";

export function AuthCard({ onSignedIn, note }: { onSignedIn(me: Me): void; note?: string | null }) {
  const [mode, setMode] = useState<"signin" | "signup">("signin");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | string | null>(null);
  const [bad, setBad] = useState<"email" | "password" | null>(null);

  const submit = async () => {
    const v = validateCredentials(email, password, mode);
    if (!v.ok) {
      setBad(v.field);
      return setError(v.message);
    }
    setBad(null);
    setError(null);
    setBusy(true);
    const r = await (mode === "signin" ? signIn : signUp)(v.value);
    setBusy(false);
    if (r.ok) {
      setPassword("");
      onSignedIn(r.value);
    } else setError(r.error);
  };

  const tab = (m: "signin" | "signup", label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={mode === m}
      class={`tabs__tab${mode === m ? " tabs__tab--on" : ""}`}
      data-testid={`auth-tab-${m}`}
      onClick={() => {
        setMode(m);
        setError(null);
        setBad(null);
      }}
    >
      {label}
    </button>
  );

  return (
    <form
      class="card form"
      data-testid="auth-form"
      data-mode={mode}
      novalidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div class="tabs" role="tablist">
        {tab("signin", "Sign in")}
        {tab("signup", "Create account")}
      </div>
      {note && <p class="form__note">{note}</p>}
      <label class="field">
        <span class="field__label">Email</span>
        <input
          class={`field__input${bad === "email" ? " field__input--bad" : ""}`}
          data-testid="email-input"
          type="email"
          name="email"
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          autocomplete="email"
          autocapitalize="off"
          spellcheck={false}
          inputMode="email"
          enterKeyHint="next"
        />
      </label>
      <label class="field">
        <span class="field__label">Password{mode === "signup" ? " (8 characters or more)" : ""}</span>
        <input
          class={`field__input${bad === "password" ? " field__input--bad" : ""}`}
          data-testid="password-input"
          type="password"
          name="password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          autocomplete={mode === "signin" ? "current-password" : "new-password"}
          enterKeyHint="go"
        />
      </label>
      <FormError error={error} context={{ attempt: mode === "signup" ? "sign-up" : "sign-in" }} />
      {mode === "signin" ? (
        <button type="submit" class="btn btn--primary" data-testid="signin-button" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
      ) : (
        <button type="submit" class="btn btn--primary" data-testid="signup-button" disabled={busy}>{busy ? "Creating account…" : "Create account"}</button>
      )}
    </form>
  );
}
