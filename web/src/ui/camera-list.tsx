// Why: the signed-in home — every camera the user owns or was shared, as a card with what it
// last showed this device (camera-picture.tsx), whether it is online, the user's role and how
// many of its viewer slots are taken; one tap opens it. A grid on desktop, a column on phones.
// At the bottom, the account's way out of every device at once (a lost phone, a shared computer).
import { useState } from "preact/hooks";
import type { Camera } from "../../../protocol/accounts.ts";
import { ROLE_LABELS, cameraStatus, viewersText } from "../lib/camera-text.ts";
import { formatRelative } from "../lib/presence-text.ts";
import type { UiError } from "../lib/session-state.ts";
import { useCameraPicture } from "./camera-picture.tsx";
import { FormError } from "./form-error.tsx";
import { CameraIcon } from "./icons.tsx";
import { linkTo } from "./use-route.ts";

export interface CameraListProps {
  cameras: Camera[] | null;
  error: UiError | null;
  onSignOutEverywhere(): Promise<{ ok: true } | { ok: false; message: string }>;
}

export function CameraList({ cameras, error, onSignOutEverywhere }: CameraListProps) {
  const now = Date.now();
  return (
    <main class="page">
      <div class="page__head">
        <h1 class="page__title">My cameras</h1>
        <a class="btn btn--primary btn--small" data-testid="add-camera-button" {...linkTo({ name: "add-camera" })}>Add camera</a>
      </div>
      <FormError error={error} />
      {cameras === null && !error && <p class="muted" data-testid="camera-list-loading">Loading your cameras…</p>}
      {cameras && cameras.length === 0 && (
        <div class="card empty" data-testid="camera-list-empty">
          <CameraIcon width={32} height={32} stroke-width={1.5} />
          <p>No cameras yet. Add one with the serial and access code on its label, or ask its owner to share it with you.</p>
        </div>
      )}
      {cameras && cameras.length > 0 && (
        <ul class="cameras" data-testid="camera-list">
          {cameras.map((c) => {
            const status = cameraStatus(c, now);
            return (
              <li key={c.serial}>
                <a class={`camera camera--${status.tone}`} data-testid={`camera-item-${c.serial}`} data-online={String(c.online)} {...linkTo({ name: "camera", serial: c.serial })}>
                  <CardPicture serial={c.serial} now={now} />
                  <span class="camera__body">
                    <span class="camera__main">
                      <span class="camera__name">{c.name || c.serial}</span>
                      <span class="camera__status">
                        <span class={`dot dot--${status.tone}`} aria-hidden="true" />
                        {status.text}
                      </span>
                    </span>
                    <span class="camera__side">
                      <span class={`role role--${c.role}`} data-testid="camera-role">{ROLE_LABELS[c.role]}</span>
                      <span class="camera__viewers" data-testid="camera-viewers">{viewersText(c.viewers, c.maxViewers)}</span>
                    </span>
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
      <SignOutEverywhere onConfirm={onSignOutEverywhere} />
    </main>
  );
}

/** The camera's last picture on this device, 16:9, with its age; the camera icon when none. */
function CardPicture({ serial, now }: { serial: string; now: number }) {
  const picture = useCameraPicture(serial);
  return (
    <span class="camera__picture" data-testid={`camera-picture-${serial}`} data-has-picture={String(picture !== null)}>
      {picture ? (
        <>
          <img src={picture.url} alt="" decoding="async" />
          <span class="camera__age">{formatRelative(picture.takenAt, now)}</span>
        </>
      ) : (
        <span class="camera__icon"><CameraIcon /></span>
      )}
    </span>
  );
}

function SignOutEverywhere({ onConfirm }: { onConfirm: CameraListProps["onSignOutEverywhere"] }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const run = async () => {
    if (!window.confirm("Sign out on every phone and browser, this one included? Anyone watching through this account stops.")) return;
    setState({ busy: true, error: null });
    const r = await onConfirm();
    if (!r.ok) setState({ busy: false, error: r.message });
  };
  return (
    <section class="account-footer" data-testid="account-footer">
      <p class="muted">Lost a phone, or signed in on a computer that isn't yours?</p>
      <button type="button" class="btn btn--small btn--ghost" data-testid="signout-everywhere-button" disabled={state.busy} onClick={() => void run()}>
        {state.busy ? "Signing out…" : "Sign out everywhere"}
      </button>
      <FormError error={state.error} testId="signout-everywhere-error" />
    </section>
  );
}
