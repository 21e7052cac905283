// Why: one camera — it starts playing as soon as the page opens (signed in, no code needed),
// and its owner finds the settings, shares and session history under the connection details.
import type { Ref } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Camera, Me } from "../../../protocol/accounts.ts";
import { ROLE_LABELS, cameraStatus, viewersText } from "../lib/camera-text.ts";
import { browserSupport } from "../lib/browser-support.ts";
import { requestOpenEvent } from "../lib/event-list-request.ts";
import type { SessionState } from "../lib/session-state.ts";
import type { ViewerSession } from "../session/viewer-session.ts";
import { CameraDiagnosticsCard } from "./camera-diagnostics.tsx";
import { CameraNotifications } from "./camera-notifications.tsx";
import { CameraSettings } from "./camera-settings.tsx";
import { LiveView } from "./live-view.tsx";
import { NoWebRtcNotice } from "./no-webrtc-notice.tsx";
import { SessionHistory } from "./session-history.tsx";
import { ShareList } from "./share-list.tsx";
import { linkTo, navigate } from "./use-route.ts";
import { useRememberPicture } from "./use-remember-picture.ts";

export interface CameraPageProps {
  serial: string;
  /** A motion event to open (a notification's tap: /cameras/<serial>?event=<id>). */
  event?: string;
  me: Me;
  cameras: Camera[] | null;
  state: SessionState;
  session: ViewerSession;
  videoRef: Ref<HTMLVideoElement>;
  waitSeconds: number;
  reloadCameras(): void;
  /** The cookie expired (not_signed_in): back to the sign-in form. */
  onNotSignedIn(): void;
}

export function CameraPage(p: CameraPageProps) {
  const camera = p.cameras?.find((c) => c.serial === p.serial) ?? null;
  const started = useRef(false);
  // Its card in "My cameras" shows what it last saw here.
  useRememberPicture(p.serial, p.videoRef, p.state.phase === "live");

  // Opening a camera plays it: the session cookie is the only credential needed.
  useEffect(() => {
    if (!camera || started.current) return;
    started.current = true;
    void p.session.connect(p.serial);
  }, [camera?.serial]);

  // A notification's event: the events panel opens it once the camera is live.
  useEffect(() => void (p.event && requestOpenEvent(p.serial, p.event)), [p.serial, p.event]);

  if (p.cameras === null) return <main class="page"><p class="muted">Loading…</p></main>;
  if (!camera) {
    return (
      <main class="page page--narrow">
        <div class="card" data-testid="camera-missing">
          <h1 class="page__title">Camera not in your list</h1>
          <p>You don't have access to {p.serial}. If it's yours, add it with the code on its label; otherwise ask its owner to share it with you.</p>
          <div class="settings__row">
            <a class="btn btn--primary btn--small" {...linkTo({ name: "add-camera" })}>Add camera</a>
            <a class="btn btn--small btn--ghost" {...linkTo({ name: "home" })}>My cameras</a>
          </div>
        </div>
      </main>
    );
  }

  const status = cameraStatus(camera, Date.now());
  const title = p.state.device?.name ?? camera.name;
  const connect = () => void p.session.connect(p.serial);
  const connectingOrIdle = p.state.phase === "connecting" || p.state.phase === "idle";
  return (
    <LiveView
      state={p.state}
      videoRef={p.videoRef}
      title={title}
      serial={p.serial}
      waitSeconds={p.waitSeconds}
      lastSeen={status.tone === "offline" ? status.text.replace(/^Offline · last seen /, "") : null}
      onRetry={connect}
      session={p.session}
      role={camera.role}
      onDisconnect={() => p.session.disconnect()}
      onSignIn={p.onNotSignedIn}
      idle={
        <div class="card session" data-testid="camera-card">
          <div class="session__who">
            <span class="session__name">{camera.name}</span>
            <span class="camera__status">
              <span class={`dot dot--${status.tone}`} aria-hidden="true" />
              {status.text} · {viewersText(camera.viewers, camera.maxViewers)}
            </span>
            <span class={`role role--${camera.role}`}>{ROLE_LABELS[camera.role]}</span>
          </div>
          {browserSupport().webrtc ? (
            <button type="button" class="btn btn--primary" data-testid="watch-button" onClick={connect}>Watch</button>
          ) : (
            <NoWebRtcNotice />
          )}
        </div>
      }
    >
      {camera.role === "owner" && (
        <>
          {/* Owner cards load once the picture is up (or failed): the first frame goes first.
              "idle" is the page's first render, just before it starts the session. Unpaused, the
              diagnostics card fetched twice while the session's socket was being set up. */}
          <CameraDiagnosticsCard serial={camera.serial} refreshKey={`${camera.online} ${p.state.phase}`} paused={connectingOrIdle} />
          <CameraSettings
            camera={camera}
            onChanged={() => p.reloadCameras()}
            onReleased={() => {
              p.session.disconnect();
              p.reloadCameras();
              navigate({ name: "home" }, { replace: true });
            }}
          />
          <ShareList serial={camera.serial} ownerId={p.me.user.id} paused={connectingOrIdle} />
          <SessionHistory serial={camera.serial} refreshKey={p.state.phase} paused={connectingOrIdle} />
        </>
      )}
      <CameraNotifications serial={camera.serial} paused={connectingOrIdle} />
    </LiveView>
  );
}
