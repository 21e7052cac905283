// Why: every doctor check returns the same shape, so the human and JSON printers, the exit code
// and the tests treat all twelve alike.
import type { DoctorCode } from "./codes.ts";

/** pass: fine. warn: works, with a weakness. fail: something a camera needs is broken. skip: not run (says why). */
export type CheckStatus = "pass" | "warn" | "fail" | "skip";

/** Stable check ids (the JSON `id`); never rename one, tools key on them. */
export const CHECK_NAMES = {
  network: "Network",
  dns: "DNS",
  edge_https: "Edge (HTTPS)",
  edge_websocket: "Edge (WebSocket)",
  clock: "Clock",
  device_token: "Device token",
  stun_udp: "STUN (UDP)",
  turn_udp: "TURN over UDP",
  turn_tcp: "TURN over TCP",
  turn_tls: "TURN over TLS",
  nat_type: "NAT type",
  hairpinning: "Hairpinning",
} as const;

export type CheckId = keyof typeof CHECK_NAMES;

export type DetailValue = string | number | boolean | null;

export interface CheckResult {
  id: CheckId;
  name: string;
  status: CheckStatus;
  /** Stable finding code (codes.ts). */
  code: DoctorCode;
  /** What was found, in plain words. */
  message: string;
  /** What to do about it (absent on a plain pass). */
  fix?: string;
  /** Measured facts for tools (addresses, milliseconds); never a secret. */
  details?: Record<string, DetailValue>;
}

export interface DoctorReport {
  serial: string;
  edge: string;
  /** ISO time by the camera's (possibly wrong) clock. */
  at: string;
  checks: CheckResult[];
  /** 0 when nothing failed, 1 when any check failed (warnings don't fail). */
  exitCode: 0 | 1;
  /** Whether the result reached the edge (absent with --no-report); never affects exitCode. */
  upload?: { sent: true } | { sent: false; error: string };
}

export function check(id: CheckId, status: CheckStatus, code: DoctorCode, message: string, fix?: string, details?: Record<string, DetailValue>): CheckResult {
  return { id, name: CHECK_NAMES[id], status, code, message, ...(fix ? { fix } : {}), ...(details ? { details } : {}) };
}

export function exitCodeOf(checks: readonly CheckResult[]): 0 | 1 {
  return checks.some((c) => c.status === "fail") ? 1 : 0;
}
