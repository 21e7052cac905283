// Why: shows the four connection stages as they happen, with the time each finished at
// (ms since Connect), so a slow step is visible to users and to whoever debugs it.
import { STAGES, type SessionState, type StageId } from "../lib/session-state.ts";
import { CheckIcon, CrossIcon } from "./icons.tsx";

const SIGNALING_STEP: Record<NonNullable<SessionState["signalingStep"]> | "none", string> = {
  none: "getting ticket",
  ticket: "opening socket",
  socket: "waiting for welcome",
  welcome: "welcome",
  offer: "offer received",
  answer: "answer sent",
};

function doneAt(s: SessionState, id: StageId): number | null {
  const t = s.timings;
  const at = { signaling: t.welcomeAt, ice: t.iceConnectedAt, dtls: t.dtlsConnectedAt, "first-frame": t.firstFrameAt }[id];
  return at !== null && t.clickAt !== null ? Math.round(at - t.clickAt) : null;
}

/** The browser has no WebRTC: no stage ever began (see session-state "unsupported"). */
const notStarted = (s: SessionState): boolean => s.error?.code === "webrtc_unsupported";

function detail(s: SessionState, id: StageId): string {
  const status = s.stages[id];
  if (notStarted(s)) return "not started";
  const ms = doneAt(s, id);
  if (status === "done") return ms !== null ? `${ms} ms` : "done";
  if (status === "failed") return "failed";
  if (status === "pending") return "";
  switch (id) {
    case "signaling":
      return SIGNALING_STEP[s.signalingStep ?? "none"];
    case "ice":
      return s.iceState && s.iceState !== "new" ? s.iceState : SIGNALING_STEP[s.signalingStep ?? "none"];
    case "dtls":
      return "handshaking";
    case "first-frame":
      return "decoding";
  }
}

export function StageList({ state }: { state: SessionState }) {
  return (
    <>
      <ol class="stages" data-testid="stage-list" data-not-started={notStarted(state) ? "webrtc_unsupported" : undefined}>
        {STAGES.map((st) => {
          const status = state.stages[st.id];
          return (
            <li key={st.id} class={`stage stage--${status}`} data-testid={`stage-${st.id}`} data-state={status}>
              <span class="stage__dot">
                {status === "done" ? <CheckIcon width={12} height={12} stroke-width={3} /> : status === "failed" ? <CrossIcon width={12} height={12} stroke-width={3} /> : null}
              </span>
              <span class="stage__label">{st.label}</span>
              <span class="stage__detail">{detail(state, st.id)}</span>
            </li>
          );
        })}
      </ol>
      {notStarted(state) && (
        <p class="stages__note" data-testid="stages-not-started">
          Not started: this browser has no WebRTC.
        </p>
      )}
    </>
  );
}
