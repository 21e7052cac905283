// Why: the few things a person needs while watching, always in reach above the picture (pinned
// on phones while the controls scroll under it): back to the cameras, which camera, a plain
// status line, the "i" for connection details, and Stop.
import { liveStatus } from "../lib/live-status.ts";
import type { SessionState } from "../lib/session-state.ts";
import { linkTo } from "./use-route.ts";

export interface LiveBarProps {
  state: SessionState;
  title: string | null;
  /** Signed-in viewers go back to their camera list; access-code viewers have no list. */
  back: boolean;
  infoOpen: boolean;
  /** The id of the details panel the "i" opens (aria-controls). */
  infoId: string;
  onInfo(): void;
  onStop(): void;
}

export function LiveBar(p: LiveBarProps) {
  const { phase } = p.state;
  const active = phase === "connecting" || phase === "live" || phase === "reconnecting";
  const status = liveStatus(p.state);
  return (
    <div class="live-bar" data-testid="live-bar">
      {p.back && (
        <a class="live-bar__back" data-testid="back-button" aria-label="Back to cameras" title="Back to cameras" {...linkTo({ name: "home" })}>
          <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
            <path d="M15 18l-6-6 6-6" />
          </svg>
          <span class="live-bar__back-text">Cameras</span>
        </a>
      )}
      <div class="live-bar__who">
        <span class="live-bar__name" data-testid="device-name">{p.title ?? "Camera"}</span>
        <span class={`live-status live-status--${status.tone}`} data-testid="live-status" data-tone={status.tone} role="status">
          <span class="live-status__dot" aria-hidden="true" />
          {status.text}
        </span>
      </div>
      <button
        type="button"
        class={`live-bar__info${p.infoOpen ? " live-bar__info--open" : ""}`}
        data-testid="details-toggle"
        aria-expanded={p.infoOpen}
        aria-controls={p.infoId}
        aria-label={p.infoOpen ? "Hide connection details" : "Connection details"}
        title="Connection details"
        onClick={p.onInfo}
      >
        <span class="live-bar__i" aria-hidden="true">i</span>
        <span class="live-bar__info-text">Details</span>
      </button>
      {active && (
        <button type="button" class="btn btn--danger live-bar__stop" data-testid="disconnect-button" onClick={p.onStop}>
          {phase === "connecting" ? "Cancel" : "Stop"}
        </button>
      )}
    </div>
  );
}
