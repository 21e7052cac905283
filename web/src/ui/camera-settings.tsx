// Why: what an owner controls on their camera — its name, how many may watch at once,
// whether the label code alone may watch, a new label code, and giving the camera up.
import { useEffect, useState } from "preact/hooks";
import type { Camera, UpdateCameraRequest } from "../../../protocol/accounts.ts";
import { MAX_MAX_VIEWERS, MIN_MAX_VIEWERS } from "../../../protocol/roles.ts";
import { validateCameraName } from "../lib/account-forms.ts";
import type { UiError } from "../lib/session-state.ts";
import { releaseCamera, rotateAccessCode, updateCamera } from "../session/account-api.ts";
import { FormError } from "./form-error.tsx";

export interface CameraSettingsProps {
  camera: Camera;
  onChanged(camera: Camera): void;
  onReleased(): void;
}

const VIEWER_CHOICES = Array.from({ length: MAX_MAX_VIEWERS - MIN_MAX_VIEWERS + 1 }, (_, i) => MIN_MAX_VIEWERS + i);

export function CameraSettings({ camera, onChanged, onReleased }: CameraSettingsProps) {
  const [name, setName] = useState(camera.name);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<UiError | string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<"rotate" | "release" | null>(null);
  const [newCode, setNewCode] = useState<string | null>(null);

  useEffect(() => setName(camera.name), [camera.name]);

  const patch = async (what: string, body: UpdateCameraRequest) => {
    setBusy(what);
    setError(null);
    setSaved(null);
    const r = await updateCamera(camera.serial, body);
    setBusy(null);
    if (!r.ok) return setError(r.error);
    setSaved(what);
    onChanged(r.value);
  };

  const rename = () => {
    const v = validateCameraName(name);
    if (!v.ok) return setError(v.message);
    if (v.value !== camera.name) void patch("name", { name: v.value });
  };

  const rotate = async () => {
    setConfirm(null);
    setBusy("code");
    setError(null);
    const r = await rotateAccessCode(camera.serial);
    setBusy(null);
    if (r.ok) setNewCode(r.value.accessCode);
    else setError(r.error);
  };

  const release = async () => {
    setBusy("release");
    setError(null);
    const r = await releaseCamera(camera.serial);
    setBusy(null);
    if (r.ok) onReleased();
    else setError(r.error);
  };

  return (
    <section class="card settings" data-testid="settings-panel">
      <h2 class="card__title">Settings</h2>
      <form
        class="settings__row"
        novalidate
        onSubmit={(e) => {
          e.preventDefault();
          rename();
        }}
      >
        <label class="field settings__grow">
          <span class="field__label">Name</span>
          <input class="field__input" data-testid="settings-name-input" value={name} maxLength={128} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="btn btn--small" data-testid="settings-name-save" disabled={busy !== null || name.trim() === camera.name}>
          {saved === "name" ? "Saved" : "Rename"}
        </button>
      </form>

      <label class="field">
        <span class="field__label">Viewers at once</span>
        <select
          class="field__input"
          data-testid="settings-max-viewers"
          value={String(camera.maxViewers)}
          disabled={busy !== null}
          onChange={(e) => void patch("maxViewers", { maxViewers: Number(e.currentTarget.value) })}
        >
          {VIEWER_CHOICES.map((n) => <option key={n} value={String(n)}>{n}</option>)}
        </select>
        <span class="field__hint">When this many are watching, the next person is asked to try later.</span>
      </label>

      <label class="toggle">
        <input
          type="checkbox"
          data-testid="settings-allow-code"
          checked={camera.allowCodeViewing}
          disabled={busy !== null}
          onChange={(e) => void patch("allowCodeViewing", { allowCodeViewing: e.currentTarget.checked })}
        />
        <span>
          <span class="toggle__label">Allow watching with the access code</span>
          <span class="field__hint">Anyone with the label's code can watch without an account. Off is safer.</span>
        </span>
      </label>

      <div class="settings__block">
        <span class="field__label">Access code</span>
        {newCode ? (
          <div class="newcode" data-testid="settings-new-code-box">
            <code class="newcode__value" data-testid="settings-new-code">{newCode}</code>
            <span class="field__hint">This is the new code; the one on the label no longer works. It's shown only once — write it down.</span>
            <button type="button" class="btn btn--small btn--ghost" data-testid="settings-new-code-done" onClick={() => setNewCode(null)}>Done</button>
          </div>
        ) : confirm === "rotate" ? (
          <div class="confirm">
            <span>The code on the label will stop working. Continue?</span>
            <button type="button" class="btn btn--small" data-testid="settings-rotate-confirm" onClick={() => void rotate()}>Make a new code</button>
            <button type="button" class="btn btn--small btn--ghost" onClick={() => setConfirm(null)}>Cancel</button>
          </div>
        ) : (
          <button type="button" class="btn btn--small" data-testid="settings-rotate-code" disabled={busy !== null} onClick={() => setConfirm("rotate")}>
            {busy === "code" ? "Making a new code…" : "Make a new access code"}
          </button>
        )}
      </div>

      <div class="settings__block">
        <span class="field__label">Release</span>
        {confirm === "release" ? (
          <div class="confirm">
            <span>Remove this camera from your account? Everyone you shared it with loses access.</span>
            <button type="button" class="btn btn--small btn--danger" data-testid="settings-release-confirm" disabled={busy !== null} onClick={() => void release()}>Release camera</button>
            <button type="button" class="btn btn--small btn--ghost" onClick={() => setConfirm(null)}>Cancel</button>
          </div>
        ) : (
          <button type="button" class="btn btn--small btn--danger" data-testid="settings-release" disabled={busy !== null} onClick={() => setConfirm("release")}>Release camera…</button>
        )}
      </div>
      <FormError error={error} testId="settings-error" />
    </section>
  );
}
