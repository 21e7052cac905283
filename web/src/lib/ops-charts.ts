// Why: the operator summary (protocol/ops.ts) turned into what each chart draws — series in a
// fixed order and colour, labels people read ("ICE · ice_failed", "Connection dropped",
// "≤ 500 ms"), rows ranked — so the SVG components stay drawing-only and the mapping is tested.
import type { ConnectionEndReason } from "../../../protocol/camera-diagnostics.ts";
import type { OpsCamera, OpsFailure, OpsOffline, OpsRefusal, OpsRegion, OpsSessionBucket, OpsTtff } from "../../../protocol/ops.ts";
import type { ReportStage } from "../../../protocol/session-report.ts";
import { formatMs } from "./ops-format.ts";
import { END_REASON_LABELS } from "./offline-reason.ts";
import { rankRows } from "./ops-top.ts";

export type SessionSeries = "lan" | "p2p" | "relay" | "failed" | "refused";

/** Bottom to top: what got a picture by path, then what did not. Colours are CSS custom properties. */
export const SESSION_SERIES: readonly { key: SessionSeries; label: string; color: string }[] = [
  { key: "lan", label: "LAN", color: "var(--ok)" },
  { key: "p2p", label: "P2P", color: "var(--accent)" },
  { key: "relay", label: "Relay", color: "var(--relay)" },
  { key: "failed", label: "Failed", color: "var(--bad)" },
  { key: "refused", label: "Refused", color: "var(--warn)" },
];

/** Each series summed over the range's buckets. */
export function seriesTotals(buckets: readonly OpsSessionBucket[]): Record<SessionSeries, number> {
  const t = { lan: 0, p2p: 0, relay: 0, failed: 0, refused: 0 };
  for (const b of buckets) for (const s of SESSION_SERIES) t[s.key] += b[s.key];
  return t;
}

/** A bucket's success rate as the contract defines it: live / (live + failed); null with neither. */
export function bucketSuccessRate(b: OpsSessionBucket): number | null {
  const live = b.lan + b.p2p + b.relay;
  return live + b.failed > 0 ? live / (live + b.failed) : null;
}

export const STAGE_LABELS: Record<ReportStage, string> = {
  signaling: "Signaling",
  ice: "ICE",
  dtls: "DTLS",
  "first-frame": "First frame",
  live: "After the picture",
};

export interface FailureRow {
  stage: ReportStage;
  cause: string | null;
  label: string;
  value: number;
}

/** "ICE · ice_failed", most first; a failure without a cause says so. */
export function failureRows(failures: readonly OpsFailure[]): FailureRow[] {
  return rankRows(
    failures.map((f) => ({ stage: f.stage, cause: f.cause, label: `${STAGE_LABELS[f.stage]} · ${f.cause ?? "no cause given"}`, value: f.count })),
  );
}

/** Why the edge turned viewers away, in an operator's words (codes: protocol/errors.ts). */
const REFUSAL_LABELS: Record<string, string> = {
  device_offline: "Camera offline",
  device_busy: "Camera at its viewer limit",
  no_access: "No access to the camera",
  access_revoked: "Access revoked",
  code_viewing_disabled: "Access codes turned off",
  device_revoked: "Camera revoked",
  device_not_found: "No such camera",
  ticket_invalid: "Ticket used twice",
  session_ended: "Resume refused",
  unsupported_version: "App too old",
};

export interface RefusalRow {
  code: string;
  label: string;
  value: number;
}

/** "Camera offline · device_offline", most first; an unknown code is shown as it is. */
export function refusalRows(refusals: readonly OpsRefusal[]): RefusalRow[] {
  return rankRows(refusals.map((r) => ({ code: r.code, label: REFUSAL_LABELS[r.code] ? `${REFUSAL_LABELS[r.code]} · ${r.code}` : r.code, value: r.count })));
}

export interface CameraRow {
  serial: string;
  label: string;
  /** relayed + failed: what the ranking is by. */
  value: number;
  relayed: number;
  failed: number;
  total: number;
}

/** The cameras with the most relayed or failed sessions, at most `n`; cameras with neither are left out. */
export function cameraRows(cameras: readonly OpsCamera[], n: number): CameraRow[] {
  return rankRows(
    cameras
      .filter((c) => c.relayed + c.failed > 0)
      .map((c) => ({ serial: c.serial, label: c.serial, value: c.relayed + c.failed, relayed: c.relayed, failed: c.failed, total: c.total })),
  ).slice(0, n);
}

export interface OfflineRow {
  reason: ConnectionEndReason;
  label: string;
  value: number;
}

/** Device disconnects by reason, in the words the camera page uses (offline-reason.ts). */
export function offlineRows(offline: readonly OpsOffline[]): OfflineRow[] {
  return rankRows(offline.map((o) => ({ reason: o.reason, label: END_REASON_LABELS[o.reason], value: o.count })));
}

export interface RegionRow {
  region: string;
  colo: string;
  label: string;
  /** Sessions served there: the bar's full length. */
  value: number;
  relayed: number;
  /** relayed / total; null without sessions. */
  share: number | null;
}

/** Relay share by TURN region and edge location, busiest first. */
export function regionRows(regions: readonly OpsRegion[]): RegionRow[] {
  return rankRows(
    regions.map((r) => ({
      region: r.region,
      colo: r.colo,
      label: r.region === r.colo ? r.region : `${r.region} · ${r.colo}`,
      value: r.total,
      relayed: r.relayed,
      share: r.total > 0 ? r.relayed / r.total : null,
    })),
  );
}

/** A TTFF histogram bar's label: "≤ 250 ms", "≤ 1.0 s", "> 8.0 s" (after the last edge). */
export function ttffBinLabel(le: number | null, previousLe: number | null): string {
  if (le !== null) return `≤ ${formatMs(le)}`;
  return previousLe === null ? "any" : `> ${formatMs(previousLe)}`;
}

export type PhaseKey = keyof OpsTtff["phases"];

/** The connection phases in the order they happen, then the whole. */
export const PHASES: readonly { key: PhaseKey; label: string }[] = [
  { key: "signaling", label: "Signaling" },
  { key: "ice", label: "ICE" },
  { key: "dtls", label: "DTLS" },
  { key: "firstFrame", label: "First frame" },
  { key: "total", label: "Total" },
];
