// Why: the live page — the picture first with a bar that keeps back and Stop in reach, the
// camera's controls under it, connection details behind an "i"; the same block on the
// access-code screen and on a camera's page.
import type { ComponentChildren, Ref } from "preact";
import { useState } from "preact/hooks";
import { describeError } from "../lib/error-messages.ts";
import type { SessionState, UiError } from "../lib/session-state.ts";
import type { SessionRole } from "../../../protocol/roles.ts";
import type { ViewerSession } from "../session/viewer-session.ts";
import { ControlsDock } from "./controls/controls-dock.tsx";
import { ErrorBanner } from "./error-banner.tsx";
import { InfoPanel } from "./info-panel.tsx";
import { LiveBar } from "./live-bar.tsx";
import "./live-page.css";
import { useNightState } from "./use-night-state.ts";
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
  const [infoOpen, setInfoOpen] = useState(false);
  const night = useNightState(p.session.controls);
  // While a session runs the side panel has nothing to say: the picture gets the whole width.
  // The bar is the page's own child (not the picture's) so it stays pinned down the whole page.
  const panel = !active || error;
  return (
    <main class={`layout live${panel ? "" : " live--solo"}`}>
      <LiveBar
        state={state}
        title={p.title}
        back={p.role !== "code"}
        infoOpen={infoOpen}
        infoId="connection-details"
        onInfo={() => setInfoOpen((o) => !o)}
        onStop={p.onDisconnect}
      />
      <section class="viewer">
        <VideoView state={state} videoRef={p.videoRef} title={p.title} night={night?.active === true} />
        <InfoPanel id="connection-details" open={infoOpen} state={state} serial={p.serial} />
        <ControlsDock state={state} session={p.session} role={p.role} />
      </section>
      {panel && (
        <aside class="panel">
          {!active && p.idle}
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
        </aside>
      )}
      {p.children && <div class="extra">{p.children}</div>}
    </main>
  );
}
