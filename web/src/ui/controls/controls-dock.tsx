// Why: the camera's controls under the live picture. Each control shows only when the camera
// has the feature (its hello) and the viewer's role may use it — the camera checks again.
import type { SessionRole } from "../../../../protocol/roles.ts";
import { can } from "../../../../protocol/roles.ts";
import { browserSupport, microphoneUnavailableText } from "../../lib/browser-support.ts";
import type { SessionState } from "../../lib/session-state.ts";
import { useEffect } from "preact/hooks";
import { exposeControlClient } from "../../session/debug-handle.ts";
import type { ViewerSession } from "../../session/viewer-session.ts";
import { PlaybackPanel } from "./playback-panel.tsx";
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
  if (state.phase !== "live" || !features || !client) return null;
  return (
    <div class="controls" data-testid="controls-dock">
      <div class="controls__bar">
        {features.qualities.length > 1 && <QualitySwitch client={client} qualities={features.qualities} />}
        {features.snapshot && can(role, "snapshot") && <SnapshotButton client={client} serial={state.device?.serial ?? ""} />}
        {features.talk && can(role, "talk") && <Talk client={client} session={session} />}
      </div>
      {features.ptz && can(role, "ptz") && <PtzPad client={client} />}
      {features.recording && can(role, "playback") && <PlaybackPanel client={client} canRecord={can(role, "settings")} />}
      {can(role, "settings") && <SettingsPanel client={client} features={features} />}
    </div>
  );
}
