// Why: the one screen of the PWA — form, live video, stages, path and errors — wired to a
// ViewerSession. State lives in the session store; this component only arranges it.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { describeError } from "../lib/error-messages.ts";
import { isValidAccessCode, isValidSerial, normalizeAccessCode, normalizeSerial, parsePrefill } from "../lib/prefill.ts";
import { describePresence } from "../lib/presence-text.ts";
import type { UiError } from "../lib/session-state.ts";
import type { SessionStore } from "../session/store.ts";
import { ViewerSession } from "../session/viewer-session.ts";
import { ConnectForm } from "./connect-form.tsx";
import { ErrorBanner } from "./error-banner.tsx";
import { LogoMark } from "./icons.tsx";
import { StageList } from "./stage-list.tsx";
import { StatsPanel } from "./stats-panel.tsx";
import { useCountdown } from "./use-countdown.ts";
import { usePresence } from "./use-presence.ts";
import { useSessionState } from "./use-session-state.ts";
import { VideoView } from "./video-view.tsx";

const LAST_SERIAL_KEY = "porthole.lastSerial";

function initialFields(): { serial: string; code: string } {
  const prefill = parsePrefill(location.search, location.hash);
  let remembered = "";
  try {
    remembered = localStorage.getItem(LAST_SERIAL_KEY) ?? "";
  } catch {
    /* storage disabled */
  }
  return { serial: prefill.serial ?? remembered, code: prefill.accessCode ?? "" };
}

export function App({ store }: { store: SessionStore }) {
  const state = useSessionState(store);
  const videoRef = useRef<HTMLVideoElement>(null);
  const serialRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const session = useMemo(() => new ViewerSession({ store, video: () => videoRef.current }), [store]);
  const [fields] = useState(initialFields);
  const [serial, setSerial] = useState(fields.serial);
  const [code, setCode] = useState(fields.code);
  const [formError, setFormError] = useState<UiError | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const waitSeconds = useCountdown(waitUntil);

  const active = state.phase === "connecting" || state.phase === "live";
  const presenceResult = usePresence(serial, !active, state.error?.code);
  const presence = presenceResult.presence ? describePresence(presenceResult.presence, Date.now()) : null;
  const presenceNote = presenceResult.errorCode === "device_not_found" ? "No camera has this serial" : null;

  // A rate limit starts a countdown that disables Connect and Retry.
  useEffect(() => {
    const e = state.error;
    if (e?.code === "rate_limited") setWaitUntil(Date.now() + (e.retryAfterSeconds ?? 60) * 1000);
  }, [state.error]);

  // Leaving the page ends the session cleanly (bye) instead of waiting for ICE to time out.
  useEffect(() => {
    const bye = () => session.disconnect();
    addEventListener("pagehide", bye);
    return () => removeEventListener("pagehide", bye);
  }, [session]);

  const connect = () => {
    const s = normalizeSerial(serial);
    const c = normalizeAccessCode(code);
    setSerial(s);
    if (!isValidSerial(s)) return setFormError({ code: "invalid_serial" });
    if (!isValidAccessCode(c)) return setFormError({ code: "invalid_access_code" });
    setFormError(null);
    try {
      localStorage.setItem(LAST_SERIAL_KEY, s);
    } catch {
      /* storage disabled */
    }
    void session.connect(s, c);
  };

  const edit = (field: "serial" | "code") => {
    const input = (field === "serial" ? serialRef : codeRef).current;
    input?.focus();
    input?.select();
  };

  const error = formError ?? (state.phase === "failed" ? state.error : null);
  const description = error
    ? describeError(error.code, {
        ...(error.code === "rate_limited" ? { retryAfterSeconds: waitSeconds } : {}),
        ...(presence?.lastSeen ? { lastSeen: presence.lastSeen } : {}),
        ...(error.detail ? { detail: error.detail } : {}),
      })
    : null;
  const deviceName = state.device?.name ?? presenceResult.presence?.name ?? null;

  return (
    <div class="app">
      <header class="topbar">
        <LogoMark />
        <span class="topbar__name">Porthole</span>
        <span class="screen__spacer" />
        {active && (
          <span class={`chip chip--${state.phase}`}>{state.phase === "live" ? "Live" : "Connecting"}</span>
        )}
      </header>
      <main class="layout">
        <section class="viewer">
          <VideoView state={state} videoRef={videoRef} title={deviceName} />
        </section>
        <aside class="panel">
          {active ? (
            <div class="card session">
              <div class="session__who">
                <span class="session__name" data-testid="device-name">{deviceName ?? "Camera"}</span>
                <span class="session__serial">{serial}</span>
              </div>
              <button type="button" class="btn btn--danger" data-testid="disconnect-button" onClick={() => session.disconnect()}>
                {state.phase === "live" ? "Disconnect" : "Cancel"}
              </button>
            </div>
          ) : (
            <ConnectForm
              serial={serial}
              code={code}
              busy={false}
              waitSeconds={waitSeconds}
              presence={presence}
              presenceNote={presenceNote}
              serialRef={serialRef}
              codeRef={codeRef}
              onSerial={(v) => setSerial(v.toUpperCase())}
              onCode={setCode}
              onSubmit={connect}
            />
          )}
          {error && description && (
            <ErrorBanner
              code={error.code}
              description={description}
              waitSeconds={waitSeconds}
              onRetry={connect}
              onEdit={edit}
              onUpdate={() => location.reload()}
            />
          )}
          <div class="card">
            <h2 class="card__title">Connection</h2>
            <StageList state={state} />
            <StatsPanel state={state} />
          </div>
        </aside>
      </main>
    </div>
  );
}
