// Why: one record per grid pair is the lab's output contract (lab/results/grid.json, issue 4):
// snake_case keys as the issue names them, plus the evidence needed to explain a failure.
import type { NatSide, PredictedPath, PredictionReason } from "../protocol/index.ts";
import { expectedNatType, type DetectedNatType } from "./expected-nat.ts";
import { expectedViewerNat, viewerVerdictOf } from "./expected-viewer-nat.ts";
import type { NatType, PathKind, ViewerPlacement } from "./nat-types.ts";
import type { EgressPolicy } from "./nft-ruleset.ts";

export interface GridRecord {
  camera_nat: NatType;
  viewer_nat: ViewerPlacement;
  /** What the camera's / viewer's network lets out, when not everything (lab/nft-ruleset.ts). */
  camera_egress?: EgressPolicy;
  viewer_egress?: EgressPolicy;
  /** The TURN transport of the camera's latest relay allocation (udp, tcp or tls). */
  camera_relay?: string;
  /** The camera's NAT type as NAT behaviour discovery on its host found it (issue 11). */
  camera_detected?: DetectedNatType;
  /** The RFC 5780 behaviours behind camera_detected. */
  camera_behavior?: { mapping: string; filtering: string; hairpinning: boolean | null };
  /** The viewer's network as the PWA's "Test my connection" found it in the viewer's browser (issue 11). */
  viewer_detected?: NatSide;
  /** The path the PWA predicted for this camera from both sides' NAT (protocol/path-prediction.ts), before connecting. */
  predicted_path?: PredictedPath;
  predicted_reason?: PredictionReason;
  connected: boolean;
  path: PathKind | null;
  /** The path a while after the first frame, when the run asked (a relayed start moved to P2P). */
  settled_path?: PathKind | null;
  /** Click on Connect → first decoded frame, from the PWA's own timings. */
  ttff_ms: number | null;
  expected_path: PathKind;
  /** The selected pair as Chromium saw it, e.g. "host 192.168.2.10 → srflx 198.51.100.21". */
  pair?: string;
  /** Candidate types Chromium gathered locally and received from the agent. */
  candidates?: { local: string[]; remote: string[] };
  error?: string;
  /** Delay and loss the run added on the WAN links (lab/link-conditions.ts); absent when none. */
  link?: { rtt_ms: number; one_way_delay_ms: number; loss_pct: number };
}

/** Whether the camera's NAT was detected as its router is configured (true when not tested). */
export function cameraDetectionPassed(r: GridRecord): boolean {
  return r.camera_detected === undefined || r.camera_detected === expectedNatType(r.camera_nat, r.camera_egress);
}

/** Whether the browser's cone/symmetric verdict and port filtering match the viewer's router (true when not tested). */
export function viewerDetectionPassed(r: GridRecord): boolean {
  if (!r.viewer_detected) return true;
  const want = expectedViewerNat(r.viewer_nat, r.camera_nat, r.viewer_egress);
  const got = viewerVerdictOf(r.viewer_detected);
  return got.verdict === want.verdict && got.portFiltering === want.portFiltering;
}

/** Whether the predicted path is the one taken (true when not predicted). */
export function predictionPassed(r: GridRecord): boolean {
  return r.predicted_path === undefined || (r.connected && r.predicted_path === r.path);
}

/**
 * A pair passes when it connected over exactly the path it should, both sides' NAT was detected
 * right, and the path predicted from those detections is the one taken.
 */
export function recordPassed(r: GridRecord): boolean {
  return r.connected && r.path === r.expected_path && cameraDetectionPassed(r) && viewerDetectionPassed(r) && predictionPassed(r);
}

/** One word for a record's result in tables and summaries. */
export function recordVerdict(r: GridRecord): "ok" | "FAILED" | "WRONG PATH" | "WRONG NAT" | "WRONG VIEWER NAT" | "MISPREDICTED" {
  if (recordPassed(r)) return "ok";
  if (!r.connected) return "FAILED";
  if (r.path !== r.expected_path) return "WRONG PATH";
  if (!cameraDetectionPassed(r)) return "WRONG NAT";
  if (!viewerDetectionPassed(r)) return "WRONG VIEWER NAT";
  return "MISPREDICTED";
}
