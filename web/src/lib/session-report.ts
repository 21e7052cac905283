// Why: what a viewer session says about itself when it ends (protocol/session-report.ts) is
// derived from the session state the page already keeps — stages, timings, path, error — so it
// is built here, purely, and unit-tested; session/report-sender.ts only delivers it.
import {
  CauseCodeSchema,
  MAX_PHASE_MS,
  MAX_SESSION_MS,
  ReportedNatSchema,
  type BrowserFamily,
  type ReportedNat,
  type RelayTransport,
  type ReportStage,
  type SessionOutcome,
  type SessionReport,
  type TtffPhases,
} from "../../../protocol/session-report.ts";
import { STAGES, type SessionState, type Timings, type ViewerNat } from "./session-state.ts";

export interface SessionReportInput {
  state: SessionState;
  /** performance.now() when the session ended (or, for an interim report, now). */
  endAt: number;
  /** false: the tab went to the background and may never run again; the final one replaces it. */
  final: boolean;
  browser: BrowserFamily;
}

const clamp = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v)));
const span = (from: number | null, to: number | null): number | null => (from !== null && to !== null ? clamp(to - from, MAX_PHASE_MS) : null);

/** Per-phase time to first frame (null for a phase that was not reached). */
export function ttffPhases(t: Timings): TtffPhases {
  return {
    signalingMs: span(t.clickAt, t.welcomeAt),
    iceMs: span(t.welcomeAt, t.iceConnectedAt),
    dtlsMs: span(t.iceConnectedAt, t.dtlsConnectedAt),
    firstFrameMs: span(t.dtlsConnectedAt, t.firstFrameAt),
    totalMs: span(t.clickAt, t.firstFrameAt),
  };
}

/** ok once a frame arrived and nothing failed; failed on an error; otherwise left before the picture. */
export function sessionOutcome(s: SessionState): SessionOutcome {
  if (s.phase === "failed") return "failed";
  return s.timings.firstFrameAt !== null ? "ok" : "abandoned";
}

/** The stage it failed at or was left in; `live` once the first frame had arrived. */
export function reportStage(s: SessionState): ReportStage {
  if (s.timings.firstFrameAt !== null) return "live";
  const failed = STAGES.find((st) => s.stages[st.id] === "failed");
  if (failed) return failed.id;
  return STAGES.find((st) => s.stages[st.id] !== "done")?.id ?? "live";
}

function relayTransport(s: SessionState): RelayTransport | null {
  if (s.path?.kind !== "relay") return null;
  const p = s.path.local.relayProtocol;
  return p === "udp" || p === "tcp" || p === "tls" ? p : null;
}

/** The error code as a cause the edge accepts (a code from elsewhere is cut to a plain one). */
function causeOf(s: SessionState): string | null {
  if (s.phase !== "failed") return null;
  const code = s.error?.code ?? "unknown";
  return CauseCodeSchema.safeParse(code).success ? code : "unknown";
}

export function buildSessionReport(i: SessionReportInput): SessionReport {
  const s = i.state;
  return {
    final: i.final,
    outcome: sessionOutcome(s),
    stage: reportStage(s),
    cause: causeOf(s),
    path: s.path?.kind ?? null,
    firstPath: s.firstPathKind,
    pathChanges: Math.min(s.pathChanges, 10_000),
    iceRestarts: Math.min(s.iceRestarts, 10_000),
    relayTransport: relayTransport(s),
    forcedRelay: s.forcedRelay,
    ttff: ttffPhases(s.timings),
    durationMs: s.timings.clickAt !== null ? clamp(i.endAt - s.timings.clickAt, MAX_SESSION_MS) : 0,
    browser: i.browser,
    viewerNat: viewerNatOf(s.viewerNat),
  };
}

/**
 * Only the four fields the edge accepts, and only if they are valid: the cache lives in
 * localStorage, and one stray key would get the whole report refused (the schema is strict).
 */
function viewerNatOf(nat: ViewerNat | null): ReportedNat | null {
  if (!nat) return null;
  const { mapping, filtering, udpBlocked } = nat.side;
  return ReportedNatSchema.safeParse({ natType: nat.verdict, mapping, filtering, udpBlocked }).data ?? null;
}
