// Why: the serial + access code form, with the camera's presence so people know before pressing
// Connect whether it can work. The presence line sits under the button, never above it: it
// arrives ~0.3 s after typing (a debounced lookup), and anything it pushed down would move the
// button under a finger (or a test's click) that was already on its way — a tap then lands on
// the code field and nothing happens (the nat-lab grid's rare "stage idle" view).
import type { Ref } from "preact";
import { browserSupport } from "../lib/browser-support.ts";
import type { PresenceText } from "../lib/presence-text.ts";
import { NoWebRtcNotice } from "./no-webrtc-notice.tsx";

export interface ConnectFormProps {
  serial: string;
  code: string;
  busy: boolean;
  waitSeconds: number;
  presence: PresenceText | null;
  presenceNote: string | null;
  serialRef: Ref<HTMLInputElement>;
  codeRef: Ref<HTMLInputElement>;
  onSerial(v: string): void;
  onCode(v: string): void;
  onSubmit(): void;
}

export function ConnectForm(p: ConnectFormProps) {
  return (
    <form
      class="card form"
      onSubmit={(e) => {
        e.preventDefault();
        p.onSubmit();
      }}
      novalidate
    >
      <label class="field">
        <span class="field__label">Camera serial</span>
        <input
          ref={p.serialRef}
          class="field__input field__input--mono"
          data-testid="serial-input"
          name="serial"
          value={p.serial}
          onInput={(e) => p.onSerial(e.currentTarget.value)}
          placeholder="PH-1234-ABCD"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          inputMode="text"
          enterKeyHint="next"
        />
      </label>
      <label class="field">
        <span class="field__label">Access code</span>
        <input
          ref={p.codeRef}
          class="field__input field__input--mono"
          data-testid="code-input"
          name="accessCode"
          value={p.code}
          onInput={(e) => p.onCode(e.currentTarget.value)}
          placeholder="On the label under the camera"
          autocomplete="off"
          autocapitalize="off"
          spellcheck={false}
          enterKeyHint="go"
        />
      </label>
      {browserSupport().webrtc ? (
        <button type="submit" class="btn btn--primary" data-testid="connect-button" disabled={p.busy || p.waitSeconds > 0}>
          {p.busy ? "Connecting…" : p.waitSeconds > 0 ? `Try again in ${p.waitSeconds} s` : "Connect"}
        </button>
      ) : (
        <NoWebRtcNotice />
      )}
      {(p.presence || p.presenceNote) && (
        <div class={`presence presence--${p.presence?.tone ?? "unknown"}`} data-testid="presence" data-tone={p.presence?.tone ?? "unknown"}>
          <span class="presence__dot" />
          <div>
            <div class="presence__headline">{p.presence?.headline ?? p.presenceNote}</div>
            {p.presence?.help && <p class="presence__help">{p.presence.help}</p>}
          </div>
        </div>
      )}
    </form>
  );
}
