// Session reports as a viewer sends them (protocol/session-report.ts), one per kind of session,
// shared by the analytics tests so their figures are read against the same known inputs.
import type { SessionReport } from "../../../protocol/index.ts";

/** A P2P session that got its picture 500 ms after Connect. */
export const LIVE_REPORT: SessionReport = {
  final: true,
  outcome: "ok",
  stage: "live",
  cause: null,
  path: "p2p",
  firstPath: "p2p",
  pathChanges: 0,
  iceRestarts: 0,
  relayTransport: null,
  forcedRelay: false,
  ttff: { signalingMs: 100, iceMs: 200, dtlsMs: 50, firstFrameMs: 150, totalMs: 500 },
  durationMs: 30_000,
  browser: "chromium",
  viewerNat: null,
};
/** On the same LAN, in 240 ms. */
export const LAN_REPORT: SessionReport = { ...LIVE_REPORT, path: "lan", firstPath: "lan", ttff: { signalingMs: 80, iceMs: 40, dtlsMs: 30, firstFrameMs: 90, totalMs: 240 } };
/** Forced through TURN over TCP, in 1 300 ms. */
export const RELAY_REPORT: SessionReport = {
  ...LIVE_REPORT,
  path: "relay",
  firstPath: "relay",
  relayTransport: "tcp",
  forcedRelay: true,
  ttff: { signalingMs: 120, iceMs: 900, dtlsMs: 80, firstFrameMs: 200, totalMs: 1300 },
};
/** No picture: ICE failed. */
export const FAILED_AT_ICE_REPORT: SessionReport = {
  ...LIVE_REPORT,
  outcome: "failed",
  stage: "ice",
  cause: "ice_failed",
  path: null,
  firstPath: null,
  ttff: { signalingMs: 100, iceMs: null, dtlsMs: null, firstFrameMs: null, totalMs: null },
};
/** Left by the viewer while waiting for the first frame. */
export const ABANDONED_REPORT: SessionReport = { ...FAILED_AT_ICE_REPORT, outcome: "abandoned", stage: "first-frame", cause: null };
