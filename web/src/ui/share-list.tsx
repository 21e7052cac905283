// Why: who else can watch — the owner shares the camera with another account as viewer or
// guest and can take it back; a revoked person's live video ends within seconds (edge side).
import { useEffect, useState } from "preact/hooks";
import type { Share } from "../../../protocol/accounts.ts";
import { SHARE_ROLES } from "../../../protocol/roles.ts";
import { isShareRole, validateShare } from "../lib/account-forms.ts";
import { ROLE_HELP, ROLE_LABELS } from "../lib/camera-text.ts";
import type { UiError } from "../lib/session-state.ts";
import { createShare, listShares, revokeShare } from "../session/account-api.ts";
import { FormError } from "./form-error.tsx";

/** `paused`: while a session is connecting, the live view has the edge to itself. */
export function ShareList({ serial, ownerId, paused = false }: { serial: string; ownerId: string; paused?: boolean }) {
  const [shares, setShares] = useState<Share[] | null>(null);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<string>("viewer");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (paused) return;
    const abort = new AbortController();
    listShares(serial, abort.signal)
      .then((r) => (r.ok ? setShares(r.value) : setError(r.error)))
      .catch(() => undefined);
    return () => abort.abort();
  }, [serial, tick, paused]);

  const add = async () => {
    const v = validateShare(email, role);
    if (!v.ok) return setError(v.message);
    setBusy(true);
    setError(null);
    const r = await createShare(serial, v.value);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setEmail("");
    setTick((t) => t + 1);
  };

  const revoke = async (s: Share) => {
    setBusy(true);
    setError(null);
    const r = await revokeShare(serial, s.userId);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setShares((list) => list?.filter((x) => x.userId !== s.userId) ?? null);
    setTick((t) => t + 1);
  };

  const others = shares?.filter((s) => s.userId !== ownerId && s.role !== "owner") ?? null;
  return (
    <section class="card" data-testid="share-panel">
      <h2 class="card__title">Shared with</h2>
      {others === null ? (
        <p class="muted">Loading…</p>
      ) : others.length === 0 ? (
        <p class="muted" data-testid="share-empty">Only you can watch this camera.</p>
      ) : (
        <ul class="rows" data-testid="share-list">
          {others.map((s) => (
            <li key={s.userId} class="row" data-testid={`share-item-${s.userId}`} data-email={s.email}>
              <span class="row__main">
                <span class="row__title">{s.email}</span>
                <span class={`role role--${s.role}`}>{ROLE_LABELS[s.role]}</span>
              </span>
              <button type="button" class="btn btn--small btn--danger" data-testid={`share-revoke-${s.userId}`} data-email={s.email} disabled={busy} onClick={() => void revoke(s)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="form share-form"
        novalidate
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label class="field">
          <span class="field__label">Share with (their Porthole email)</span>
          <input class="field__input" type="email" data-testid="share-email-input" value={email} onInput={(e) => setEmail(e.currentTarget.value)}
            placeholder="name@example.com" autocomplete="off" autocapitalize="off" spellcheck={false} inputMode="email" />
        </label>
        <div class="settings__row">
          <label class="field settings__grow">
            <span class="field__label">Role</span>
            <select class="field__input" data-testid="share-role-select" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              {SHARE_ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
            </select>
          </label>
          <button type="submit" class="btn btn--small btn--primary" data-testid="share-button" disabled={busy}>Share</button>
        </div>
        {isShareRole(role) && <span class="field__hint">{ROLE_LABELS[role]}: {ROLE_HELP[role].toLowerCase()}.</span>}
        <FormError error={error} testId="share-error" />
      </form>
    </section>
  );
}
