// Why: the owner's session history shows, from each session's own report, how it went — the
// outcome, the stage it reached or failed at, time to first frame — and the same one-paragraph
// explanation the viewer saw (session-explanation.ts), told about "the viewer" when the
// session was someone else's.
import type { SessionRecord } from "../../../protocol/accounts.ts";
import type { ReportStage } from "../../../protocol/session-report.ts";
import { explainSession } from "./session-explanation.ts";

export interface ReportRow {
  /** "OK", "Failed at ICE", "Left during signaling", "Lost after video started". */
  outcome: string;
  tone: "ok" | "failed" | "abandoned";
  /** "TTFF 630 ms" or null when no frame arrived. */
  ttff: string | null;
  explanation: string;
  /** The two NAT types predicted another path than the one taken. */
  mismatch: boolean;
}

const STAGE_SHORT: Record<ReportStage, string> = { signaling: "signaling", ice: "ICE", dtls: "DTLS", "first-frame": "first frame", live: "live" };

/** Second person → third, for a session the owner did not watch themselves. Order matters: longer phrases first. */
const THIRD_PERSON: [RegExp, string][] = [
  [/Your network's/g, "The viewer's network's"],
  [/your network's/g, "the viewer's network's"],
  [/Your network/g, "The viewer's network"],
  [/your network/g, "the viewer's network"],
  [/on this device/g, "on the viewer's device"],
  [/this device/g, "the viewer's device"],
  [/this network/g, "the viewer's network"],
  [/connect you/g, "connect them"],
  [/run Test my connection/g, "they can run Test my connection"],
  [/watch from/g, "they can watch from"],
];

export function aboutTheViewer(text: string): string {
  return THIRD_PERSON.reduce((t, [re, to]) => t.replace(re, to), text);
}

/** The report part of a history row, or null when the session sent none. */
export function describeReport(r: SessionRecord, opts: { ownSession: boolean }): ReportRow | null {
  const rep = r.report;
  if (!rep) return null;
  const explained = explainSession({
    outcome: rep.outcome,
    stage: rep.stage,
    cause: rep.cause,
    path: rep.path,
    firstPath: rep.firstPath,
    relayTransport: rep.relayTransport,
    forcedRelay: rep.forcedRelay,
    cameraNatType: rep.cameraNatType,
    viewerNatType: rep.viewerNatType,
    prediction: { path: rep.predictedPath, reason: rep.predictionReason },
  });
  const outcome =
    rep.outcome === "ok"
      ? "OK"
      : rep.outcome === "abandoned"
        ? `Left during ${STAGE_SHORT[rep.stage]}`
        : rep.stage === "live"
          ? "Lost after video started"
          : `Failed at ${STAGE_SHORT[rep.stage]}`;
  return {
    outcome,
    tone: rep.outcome,
    ttff: rep.ttff.totalMs !== null ? `TTFF ${rep.ttff.totalMs} ms` : null,
    explanation: opts.ownSession ? explained.text : aboutTheViewer(explained.text),
    mismatch: explained.mismatch,
  };
}
