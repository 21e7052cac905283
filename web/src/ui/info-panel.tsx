// Why: the connection's workings (stages with timings, path and candidate types, RTTs, video
// figures, the connection test) are for whoever asks — folded behind the live bar's "i". They
// stay in the page while folded: the stats keep updating and the session report reads them.
import type { SessionState } from "../lib/session-state.ts";
import { StageList } from "./stage-list.tsx";
import { StatsPanel } from "./stats-panel.tsx";
import { linkTo } from "./use-route.ts";

export interface InfoPanelProps {
  id: string;
  open: boolean;
  state: SessionState;
  serial: string;
}

export function InfoPanel({ id, open, state, serial }: InfoPanelProps) {
  return (
    <section id={id} class="card info" data-testid="connection-details" hidden={!open} aria-label="Connection details">
      <div class="info__head">
        <h2 class="card__title">Connection details</h2>
        {serial && <span class="info__serial">{serial}</span>}
      </div>
      <StageList state={state} />
      <StatsPanel state={state} />
      <a class="btn btn--small btn--ghost" data-testid="camera-connection-test-link" {...linkTo({ name: "connection-test", ...(serial ? { camera: serial } : {}) })}>
        Test my connection
      </a>
    </section>
  );
}
