// Why: one shape for what the connection test found — the page renders it, the report is built
// from it, the DOM hooks for the NAT lab read it, and the NAT cache keeps its verdict.
import type { RelayProbeTransport, StunProbeRole } from "../../../protocol/connection-test.ts";
import type { NatTypeName, NatStatus } from "../../../protocol/nat.ts";
import type { NatSide, PathPrediction } from "../../../protocol/path-prediction.ts";
import type { FilteringResult } from "./filtering.ts";
import type { MappingResult } from "./mapping.ts";

export type CheckStatus = "pass" | "fail" | "skip";

export interface EdgeCheck {
  status: CheckStatus;
  /** Median round trip of small HTTPS requests to the edge. */
  rttMs: number | null;
  detail: string | null;
}

export interface WebSocketCheck {
  status: CheckStatus;
  /** From `new WebSocket` to the edge's probe frame (TCP + TLS + upgrade). */
  openMs: number | null;
  detail: string | null;
}

export interface StunProbeResult {
  role: StunProbeRole;
  /** host:port of the server (the deployment's, not the user's). */
  server: string;
  answered: boolean;
  /** The mapped (public) address it reported, when attributed to it. */
  mapped: string | null;
}

export interface RelayResult {
  transport: RelayProbeTransport;
  status: CheckStatus;
  /** From starting the allocation to the relay candidate: about two round trips to the relay (401 challenge, then Allocate; RFC 8656 §7.2), plus TCP/TLS setup. */
  allocateMs: number | null;
  detail: string | null;
}

export interface CameraPrediction {
  serial: string;
  name: string;
  online: boolean;
  nat: NatStatus | null;
  sameNetwork: boolean | null;
  prediction: PathPrediction;
  advice: string;
}

export interface ConnectionTestResult {
  at: number;
  browser: string;
  edge: EdgeCheck;
  websocket: WebSocketCheck;
  /** Null when signed out: the ICE part needs the edge's credentials. */
  ice: {
    turnConfigured: boolean;
    stun: StunProbeResult[];
    relays: RelayResult[];
    mapping: MappingResult;
    filtering: FilteringResult;
    side: NatSide;
    natType: NatTypeName;
    verdict: string;
    /** Fingerprint of the public address (addressFingerprint); null when none was seen. */
    publicFingerprint: string | null;
    /** The public address cut to its first half, for the page and report. */
    publicAddress: string | null;
  } | null;
  camera: CameraPrediction | null;
  /** Why a part did not run (signed out, no WebRTC, rate limited…). */
  notes: string[];
}
