// Why: claiming a camera with its label — serial and access code (prefilled from a label link
// `?serial=…#code=…`), an optional name — makes the signed-in user its owner.
import { useState } from "preact/hooks";
import type { Camera } from "../../../protocol/accounts.ts";
import { validateClaim } from "../lib/account-forms.ts";
import type { UiError } from "../lib/session-state.ts";
import { claimCamera } from "../session/account-api.ts";
import { FormError } from "./form-error.tsx";
import { linkTo } from "./use-route.ts";

export interface AddCameraProps {
  initialSerial: string;
  initialCode: string;
  onClaimed(camera: Camera): void;
  onNotSignedIn(): void;
}

export function AddCamera(p: AddCameraProps) {
  const [serial, setSerial] = useState(p.initialSerial);
  const [code, setCode] = useState(p.initialCode);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | string | null>(null);
  const [bad, setBad] = useState<"serial" | "code" | "name" | null>(null);

  const submit = async () => {
    const v = validateClaim(serial, code, name);
    if (!v.ok) {
      setBad(v.field);
      return setError(v.message);
    }
    setSerial(v.value.serial);
    setBad(null);
    setError(null);
    setBusy(true);
    const r = await claimCamera(v.value);
    setBusy(false);
    if (r.ok) return p.onClaimed(r.value);
    if (r.error.code === "not_signed_in") return p.onNotSignedIn();
    setBad(r.error.code === "wrong_access_code" ? "code" : r.error.code === "device_not_found" ? "serial" : null);
    setError(r.error);
  };

  const cls = (f: typeof bad, mono = true) => `field__input${mono ? " field__input--mono" : ""}${bad === f ? " field__input--bad" : ""}`;
  return (
    <main class="page page--narrow">
      <div class="page__head">
        <h1 class="page__title">Add camera</h1>
        <a class="btn btn--small btn--ghost" {...linkTo({ name: "home" })}>Cancel</a>
      </div>
      <form
        class="card form"
        data-testid="claim-form"
        novalidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p class="form__note">Enter what's printed on the label under the camera. You'll become its owner: only you decide who else can watch.</p>
        <label class="field">
          <span class="field__label">Camera serial</span>
          <input class={cls("serial")} data-testid="claim-serial-input" name="serial" value={serial} onInput={(e) => setSerial(e.currentTarget.value.toUpperCase())}
            placeholder="PH-1234-ABCD" autocomplete="off" autocapitalize="characters" spellcheck={false} enterKeyHint="next" />
        </label>
        <label class="field">
          <span class="field__label">Access code</span>
          <input class={cls("code")} data-testid="claim-code-input" name="accessCode" value={code} onInput={(e) => setCode(e.currentTarget.value)}
            placeholder="On the label under the camera" autocomplete="off" autocapitalize="off" spellcheck={false} enterKeyHint="next" />
        </label>
        <label class="field">
          <span class="field__label">Name (optional)</span>
          <input class={cls("name", false)} data-testid="claim-name-input" name="name" value={name} onInput={(e) => setName(e.currentTarget.value)}
            placeholder="Front door" maxLength={128} enterKeyHint="go" />
        </label>
        <FormError error={error} />
        <button type="submit" class="btn btn--primary" data-testid="claim-button" disabled={busy}>{busy ? "Adding…" : "Add camera"}</button>
      </form>
    </main>
  );
}
