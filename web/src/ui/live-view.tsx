// Why: the live picture with its session card, error banner and connection details — the
// same block on the access-code screen and on a camera's page.
import type { ComponentChildren, Ref } from "preact";
import { describeError } from "../lib/error-messages.ts";
import type { SessionState, UiError } from "../lib/session-state.ts";
import type { SessionRole } from "../../../protocol/roles.ts";
import type { ViewerSession } from "../session/viewer-session.ts";
import { ControlsDock } from "./controls/controls-dock.tsx";
import { ErrorBanner } from "./error-banner.tsx";
import { StageList } from "./stage-list.tsx";
import { StatsPanel } from "./stats-panel.tsx";
import { linkTo } from "./use-route.ts";
import { VideoView } from "./video-view.tsx";

export interface LiveViewProps {
  state: SessionState;
  videoRef: Ref<HTMLVideoElement>;
  title: string | null;
  /** Shown in the panel when no session is running (the form, or a Watch button). */
  idle: ComponentChildren;
  /** A form error that is not the session's (bad serial format…). */
  formError?: UiError | null;
  waitSeconds: number;
  lastSeen?: string | null;
  serial: string;
  onRetry(): void;
  onDisconnect(): void;
  onEdit?(field: "serial" | "code"): void;
  onSignIn?(): void;
  /** The session, for the camera controls under the picture. */
  session: ViewerSession;
  /** The viewer's role on this camera (access-code viewers: "code"). */
  role: SessionRole;
  /** The owner's settings: under the video on wide screens, after the panel on phones. */
  children?: ComponentChildren;
}

export function LiveView(p: LiveViewProps) {
  const { state } = p;
  const active = state.phase === "connecting" || state.phase === "live" || state.phase === "reconnecting";
  // No WebRTC is said by the notice that replaces Watch / Connect (no-webrtc-notice.tsx), once.
  const sessionError = state.phase === "failed" && state.error?.code !== "webrtc_unsupported" ? state.error : null;
  const error = p.formError ?? sessionError;
  const description = error
    ? describeError(error.code, {
        ...(error.code === "rate_limited" ? { retryAfterSeconds: p.waitSeconds } : {}),
        ...(p.lastSeen ? { lastSeen: p.lastSeen } : {}),
        ...(error.detail ? { detail: error.detail } : {}),
        ...(error.watching !== undefined ? { watching: error.watching } : {}),
        ...(error.limit !== undefined ? { limit: error.limit } : {}),
      })
    : null;
  return (
    <main class="layout">
      <section class="viewer">
        <VideoView state={state} videoRef={p.videoRef} title={p.title} />
        <ControlsDock state={state} session={p.session} role={p.role} />
      </section>
      <aside class="panel">
        {active ? (
          <div class="card session">
            <div class="session__who">
              <span class="session__name" data-testid="device-name">{p.title ?? "Camera"}</span>
              <span class="session__serial">{p.serial}</span>
            </div>
            <button type="button" class="btn btn--danger" data-testid="disconnect-button" onClick={p.onDisconnect}>
              {state.phase === "live" || state.phase === "reconnecting" ? "Disconnect" : "Cancel"}
            </button>
          </div>
        ) : (
          p.idle
        )}
        {error && description && (
          <ErrorBanner
            code={error.code}
            description={description}
            waitSeconds={p.waitSeconds}
            onRetry={p.onRetry}
            onEdit={(f) => p.onEdit?.(f)}
            onUpdate={() => location.reload()}
            {...(p.onSignIn ? { onSignIn: p.onSignIn } : {})}
            {...(p.serial ? { serial: p.serial } : {})}
          />
        )}
        <div class="card">
          <h2 class="card__title">Connection</h2>
          <StageList state={state} />
          <StatsPanel state={state} />
          <a class="btn btn--small btn--ghost" data-testid="camera-connection-test-link" {...linkTo({ name: "connection-test", ...(p.serial ? { camera: p.serial } : {}) })}>Test my connection</a>
        </div>
      </aside>
      {p.children && <div class="extra">{p.children}</div>}
    </main>
  );
}
