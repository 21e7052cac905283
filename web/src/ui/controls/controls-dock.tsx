// Why: the camera's controls under the live picture. Each control shows only when the camera
// has the feature (its hello) and the viewer's role may use it — the camera checks again.
import type { SessionRole } from "../../../../protocol/roles.ts";
import { can } from "../../../../protocol/roles.ts";
import { browserSupport, microphoneUnavailableText } from "../../lib/browser-support.ts";
import type { SessionState } from "../../lib/session-state.ts";
import { useEffect, useRef, useState } from "preact/hooks";
import { exposeControlClient } from "../../session/debug-handle.ts";
import type { ViewerSession } from "../../session/viewer-session.ts";
import { EventsPanel } from "./events-panel.tsx";
import { PlaybackPanel, type PlaybackRequest } from "./playback-panel.tsx";
import { PtzPad } from "./ptz-pad.tsx";
import { QualitySwitch } from "./quality-switch.tsx";
import { SettingsPanel } from "./settings-panel.tsx";
import { SnapshotButton } from "./snapshot-button.tsx";
import { TalkButton } from "./talk-button.tsx";

export interface ControlsDockProps {
  state: SessionState;
  session: ViewerSession;
  role: SessionRole;
}

/** Push-to-talk, or why this browser cannot (no getUserMedia: plain http, or no microphone API). */
function Talk({ client, session }: { client: NonNullable<ViewerSession["controls"]>; session: ViewerSession }) {
  const problem = microphoneUnavailableText(browserSupport().microphone);
  if (!problem) return <TalkButton client={client} session={session} />;
  return (
    <span class="talk__state" data-testid="talk-unavailable" role="note">
      {problem}
    </span>
  );
}

export function ControlsDock({ state, session, role }: ControlsDockProps) {
  const features = state.device?.features;
  const client = session.controls;
  // Test/debug aid (window.__portholeControl): the same client the controls below use.
  useEffect(() => {
    exposeControlClient(client);
    return () => exposeControlClient(null);
  }, [client]);
  // A tapped motion event plays in the Recordings card: the events panel asks, the playback
  // panel plays and says when it stops.
  // Kept with its client: a reconnect's new panels must not replay the last request.
  const [playback, setPlayback] = useState<{ client: typeof client; request: PlaybackRequest } | null>(null);
  const [playing, setPlaying] = useState(false);
  const seq = useRef(0);
  if (state.phase !== "live" || !features || !client) return null;
  return (
    <div class="controls" data-testid="controls-dock">
      <div class="controls__bar">
        {features.qualities.length > 1 && <QualitySwitch client={client} qualities={features.qualities} />}
        {features.snapshot && can(role, "snapshot") && <SnapshotButton client={client} serial={state.device?.serial ?? ""} />}
        {features.talk && can(role, "talk") && <Talk client={client} session={session} />}
      </div>
      {features.ptz && can(role, "ptz") && <PtzPad client={client} />}
      {features.motion && can(role, "playback") && (
        <EventsPanel
          client={client}
          serial={state.device?.serial ?? ""}
          canChangeSettings={can(role, "settings")}
          canPlay={features.recording}
          playing={playing}
          onPlay={(at, until) => setPlayback({ client, request: { kind: "play", at, until, seq: ++seq.current } })}
          onLive={() => setPlayback({ client, request: { kind: "live", seq: ++seq.current } })}
        />
      )}
      {features.recording && can(role, "playback") && (
        <PlaybackPanel client={client} canRecord={can(role, "settings")} request={playback?.client === client ? playback.request : null} onPlayingChange={setPlaying} />
      )}
      {can(role, "settings") && <SettingsPanel client={client} features={features} />}
    </div>
  );
}
