// Why: what the edge stores for a session report is decided here, purely: the viewer's claims
// (already bounded by the schema) plus what only the edge may say — who and which camera (from
// the report token), the camera's NAT (from D1, never from the viewer), the two-sided
// prediction, and the edge's clock. Unit-tested without D1.
import {
  natSideOf,
  predictPath,
  type NatStatus,
  type PathPrediction,
  type SessionReport,
  type StoredSessionReport,
} from "../../../protocol/index.ts";
import type { ReportGrant } from "../auth/report-token.ts";
import type { SessionReportRow } from "../db/schema.ts";

/**
 * Both sides' NAT → the path they should take. A LAN path needs no NAT traversal at all, so
 * when the session did run on the LAN the prediction says so (host candidates met).
 */
export function predictionFor(cameraNat: NatStatus | null, report: Pick<SessionReport, "viewerNat" | "path">): PathPrediction {
  return predictPath(natSideOf(cameraNat), natSideOf(report.viewerNat), { sameNetwork: report.path === "lan" });
}

export function reportRow(
  grant: ReportGrant,
  report: SessionReport,
  cameraNat: NatStatus | null,
  receivedAtMs: number,
  colo: string | null,
  turnRegion: string | null = null,
): SessionReportRow {
  const prediction = predictionFor(cameraNat, report);
  // The session cannot have begun before its grant was minted; a duration that says so is clamped.
  const startedAtMs = Math.max(grant.issuedAt * 1000, receivedAtMs - report.durationMs);
  return {
    sessionId: grant.sessionId,
    serial: grant.serial,
    userId: grant.userId,
    role: grant.role,
    receivedAt: new Date(receivedAtMs),
    startedAt: new Date(startedAtMs),
    final: report.final,
    outcome: report.outcome,
    stage: report.stage,
    // A cause only explains a failure; the other outcomes have none.
    cause: report.outcome === "failed" ? report.cause : null,
    path: report.path,
    firstPath: report.firstPath ?? report.path,
    pathChanges: report.pathChanges,
    iceRestarts: report.iceRestarts,
    relayTransport: report.path === "relay" ? report.relayTransport : null,
    forcedRelay: report.forcedRelay,
    signalingMs: report.ttff.signalingMs,
    iceMs: report.ttff.iceMs,
    dtlsMs: report.ttff.dtlsMs,
    firstFrameMs: report.ttff.firstFrameMs,
    ttffMs: report.ttff.totalMs,
    durationMs: report.durationMs,
    browser: report.browser,
    cameraNatType: cameraNat?.natType ?? null,
    viewerNatType: report.viewerNat?.natType ?? null,
    predictedPath: prediction.path,
    predictionReason: prediction.reason,
    colo: colo && /^[A-Z]{3}$/.test(colo) ? colo : null,
    turnRegion,
  };
}

/** A stored row as the owner's session history returns it. */
export function storedReport(row: SessionReportRow): StoredSessionReport {
  return {
    outcome: row.outcome,
    stage: row.stage,
    cause: row.cause,
    path: row.path,
    firstPath: row.firstPath,
    pathChanges: row.pathChanges,
    iceRestarts: row.iceRestarts,
    relayTransport: row.relayTransport,
    forcedRelay: row.forcedRelay,
    ttff: { signalingMs: row.signalingMs, iceMs: row.iceMs, dtlsMs: row.dtlsMs, firstFrameMs: row.firstFrameMs, totalMs: row.ttffMs },
    durationMs: row.durationMs,
    browser: row.browser,
    cameraNatType: row.cameraNatType,
    viewerNatType: row.viewerNatType,
    predictedPath: row.predictedPath,
    predictionReason: row.predictionReason,
    final: row.final,
  };
}
