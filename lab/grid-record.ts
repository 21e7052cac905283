// Why: one record per grid pair is the lab's output contract (lab/results/grid.json, issue 4):
// snake_case keys as the issue names them, plus the evidence needed to explain a failure.
import { expectedNatType, type DetectedNatType } from "./expected-nat.ts";
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
}

/** Whether the camera's NAT was detected as its router is configured (true when not tested). */
export function cameraDetectionPassed(r: GridRecord): boolean {
  return r.camera_detected === undefined || r.camera_detected === expectedNatType(r.camera_nat, r.camera_egress);
}

/** A pair passes when it connected over exactly the path it should, and the camera's NAT was detected right. */
export function recordPassed(r: GridRecord): boolean {
  return r.connected && r.path === r.expected_path && cameraDetectionPassed(r);
}
