// Why: the live page explains the session it shows — its path once one is selected, or its
// failure — with the same words the owner's history uses later (session-explanation.ts); the
// facts come from the session state, as the report the session sends at its end does.
import { natSideOf } from "../../../protocol/path-prediction.ts";
import { predictionFor, explainSession, type Explanation } from "./session-explanation.ts";
import { reportStage } from "./session-report.ts";
import type { SessionState } from "./session-state.ts";

/** The explanation for the page, or null while there is nothing to explain yet. */
export function explainLive(s: SessionState): Explanation | null {
  if (s.phase === "idle" || s.phase === "ended") return null;
  const failed = s.phase === "failed";
  if (!failed && !s.path) return null;
  // A browser without WebRTC never started a session: its own notice says so.
  if (failed && (s.error?.code === "webrtc_unsupported" || s.sessionId === null)) return null;
  const path = s.path?.kind ?? null;
  const relayProtocol = s.path?.kind === "relay" ? s.path.local.relayProtocol : null;
  return explainSession({
    // Still running: the path is what there is to explain (sessionOutcome would call it abandoned).
    outcome: failed ? "failed" : "ok",
    stage: reportStage(s),
    cause: failed ? (s.error?.code ?? null) : null,
    path,
    firstPath: s.firstPathKind,
    relayTransport: relayProtocol === "udp" || relayProtocol === "tcp" || relayProtocol === "tls" ? relayProtocol : null,
    forcedRelay: s.forcedRelay,
    cameraNatType: s.cameraNat?.natType ?? null,
    viewerNatType: s.viewerNat?.verdict ?? null,
    prediction: predictionFor(natSideOf(s.cameraNat), s.viewerNat?.side ?? null, path),
  });
}
