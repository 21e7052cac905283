// Why: the numbers behind "is it good?": network path, ICE and data-channel round trips,
// what video arrives, and how long the first frame took.
import { explainLive } from "../lib/live-explanation.ts";
import { formatVideoStats } from "../lib/media-stats.ts";
import type { SessionState } from "../lib/session-state.ts";
import { linkTo } from "./use-route.ts";

const ms = (v: number | null) => (v === null ? "—" : `${v} ms`);

export function StatsPanel({ state }: { state: SessionState }) {
  const { path, timings } = state;
  const explanation = explainLive(state);
  const ttff = timings.firstFrameAt !== null && timings.clickAt !== null ? Math.round(timings.firstFrameAt - timings.clickAt) : null;
  return (
    <dl class="stats">
      <div class="stat stat--wide">
        <dt>Path</dt>
        <dd>
          <span class={`path path--${path?.kind ?? "none"}`} data-testid="path-label" data-path-kind={path?.kind ?? ""}>
            {path?.label ?? "—"}
          </span>
          {path && (
            <span class="stat__sub">
              {path.local.type} → {path.remote.type}
              {path.local.protocol ? ` · ${path.local.protocol}` : ""}
            </span>
          )}
          {explanation && (
            // Why this path, or why it failed: both sides' NAT types (session-explanation.ts).
            <span class="stat__sub stat__reason" data-testid="session-explanation" data-mismatch={explanation.mismatch ? "true" : undefined}>
              {path?.kind === "relay" && state.phase !== "failed" ? <span data-testid="relay-reason">{explanation.text}</span> : explanation.text}
              {explanation.offerConnectionTest && (
                <>
                  {" "}
                  <a data-testid="explanation-connection-test-link" {...linkTo({ name: "connection-test", ...(state.device?.serial ? { camera: state.device.serial } : {}) })}>
                    Test my connection
                  </a>
                </>
              )}
            </span>
          )}
        </dd>
      </div>
      <div class="stat">
        <dt>ICE RTT</dt>
        <dd data-testid="rtt">{ms(state.rttMs)}</dd>
      </div>
      <div class="stat">
        <dt>Data channel RTT</dt>
        <dd data-testid="dc-rtt">{ms(state.dcRttMs)}</dd>
      </div>
      <div class="stat">
        <dt>First frame</dt>
        <dd data-testid="ttff">{ms(ttff)}</dd>
      </div>
      <div class="stat">
        <dt>Video</dt>
        <dd data-testid="video-stats">{formatVideoStats(state.video)}</dd>
      </div>
    </dl>
  );
}
