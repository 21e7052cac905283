import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../../../protocol/accounts.ts";
import type { StoredSessionReport } from "../../../protocol/session-report.ts";
import { aboutTheViewer, describeReport } from "./session-history-text.ts";

const REPORT: StoredSessionReport = {
  outcome: "ok",
  stage: "live",
  cause: null,
  path: "relay",
  firstPath: "relay",
  pathChanges: 0,
  iceRestarts: 0,
  relayTransport: "udp",
  forcedRelay: false,
  ttff: { signalingMs: 100, iceMs: 300, dtlsMs: 60, firstFrameMs: 170, totalMs: 630 },
  durationMs: 60_000,
  browser: "chromium",
  cameraNatType: "symmetric",
  viewerNatType: "port-restricted-cone",
  predictedPath: "relay",
  predictionReason: "camera-symmetric-viewer-port-filtering",
  final: true,
};
const record = (report: StoredSessionReport | null): SessionRecord => ({
  sessionId: "sess-0001",
  email: "bob@example.com",
  role: "viewer",
  startedAt: "2026-11-20T11:30:00Z",
  endedAt: "2026-11-20T11:31:00Z",
  durationMs: 60_000,
  path: report?.path ?? null,
  endReason: "bye",
  report,
});

describe("describeReport", () => {
  it("shows a relayed session's outcome, time to first frame and the two-sided explanation", () => {
    const row = describeReport(record(REPORT), { ownSession: true });
    expect(row).toMatchObject({ outcome: "OK", tone: "ok", ttff: "TTFF 630 ms", mismatch: false });
    expect(row?.explanation).toMatch(/^Relayed because the camera's router is a symmetric NAT and your network only accepts replies from the exact port it wrote to/);
  });

  it("tells the owner about the viewer's network when the session was someone else's", () => {
    const row = describeReport(record(REPORT), { ownSession: false });
    expect(row?.explanation).toMatch(/^Relayed because the camera's router is a symmetric NAT and the viewer's network only accepts replies/);
    expect(row?.explanation).not.toMatch(/\byour\b/i);
  });

  it("shows the stage a failed session stopped at, without a time to first frame", () => {
    const failed = { ...REPORT, outcome: "failed" as const, stage: "ice" as const, cause: "ice_failed", path: null, firstPath: null, ttff: { ...REPORT.ttff, iceMs: null, dtlsMs: null, firstFrameMs: null, totalMs: null } };
    expect(describeReport(record(failed), { ownSession: true })).toMatchObject({ outcome: "Failed at ICE", tone: "failed", ttff: null });
    expect(describeReport(record({ ...failed, stage: "live", cause: "connection_lost" }), { ownSession: true })?.outcome).toBe("Lost after video started");
    expect(describeReport(record({ ...failed, outcome: "abandoned", cause: null }), { ownSession: true })?.outcome).toBe("Left during ICE");
  });

  it("has nothing to show for a session that sent no report", () => {
    expect(describeReport(record(null), { ownSession: true })).toBeNull();
  });
});

describe("aboutTheViewer", () => {
  it("rewrites every second-person phrase the explanations use", () => {
    expect(aboutTheViewer("Your network's NAT type is not known on this device: run Test my connection to measure it.")).toBe(
      "The viewer's network's NAT type is not known on the viewer's device: they can run Test my connection to measure it.",
    );
  });
});
