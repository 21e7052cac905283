import { describe, expect, it } from "vitest";
import type { NatStatus, SessionReport } from "../../../protocol/index.ts";
import { reportRow, storedReport } from "./report-row.ts";

const GRANT = { sessionId: "sess-0000000001", serial: "PH-TEST-1", userId: "u1", role: "owner" as const, issuedAt: 1_800_000_000 };
const NOW = GRANT.issuedAt * 1000 + 60_000;
const REPORT: SessionReport = {
  final: true,
  outcome: "ok",
  stage: "live",
  cause: null,
  path: "p2p",
  firstPath: "relay",
  pathChanges: 1,
  iceRestarts: 0,
  relayTransport: null,
  forcedRelay: false,
  ttff: { signalingMs: 100, iceMs: 200, dtlsMs: 50, firstFrameMs: 150, totalMs: 500 },
  durationMs: 30_000,
  browser: "firefox",
  viewerNat: { natType: "full-cone", mapping: "endpoint-independent", filtering: "endpoint-independent", udpBlocked: false },
};
const CONE_CAMERA: NatStatus = { natType: "restricted-cone", mapping: "endpoint-independent", filtering: "address-dependent", hairpinning: true, udpBlocked: false, rfc5780: true, at: 0 };

describe("reportRow", () => {
  it("dates the session from the edge's clock minus the reported duration", () => {
    const row = reportRow(GRANT, REPORT, null, NOW, null);
    expect(row.receivedAt.getTime()).toBe(NOW);
    expect(row.startedAt.getTime()).toBe(NOW - 30_000);
  });

  it("never dates a session before its grant was minted, whatever duration it claims", () => {
    const row = reportRow(GRANT, { ...REPORT, durationMs: 3_600_000 }, null, NOW, null);
    expect(row.startedAt.getTime()).toBe(GRANT.issuedAt * 1000);
  });

  it("takes who and which camera from the grant, and the camera's NAT from the edge", () => {
    const row = reportRow(GRANT, REPORT, CONE_CAMERA, NOW, "AMS");
    expect(row).toMatchObject({ sessionId: GRANT.sessionId, serial: GRANT.serial, userId: "u1", role: "owner", cameraNatType: "restricted-cone", viewerNatType: "full-cone", colo: "AMS" });
    expect(row).toMatchObject({ predictedPath: "p2p", predictionReason: "punchable" });
  });

  it("keeps a cause only for a failure and a relay transport only for a relay path", () => {
    const row = reportRow(GRANT, { ...REPORT, cause: "ice_failed", relayTransport: "tcp" }, null, NOW, null);
    expect(row.cause).toBeNull();
    expect(row.relayTransport).toBeNull();
    const relayed = reportRow(GRANT, { ...REPORT, outcome: "failed", stage: "live", cause: "connection_lost", path: "relay", relayTransport: "tls" }, null, NOW, null);
    expect(relayed).toMatchObject({ cause: "connection_lost", relayTransport: "tls" });
  });

  it("predicts unknown, never a guess, when the camera never reported its NAT", () => {
    expect(reportRow(GRANT, REPORT, null, NOW, null)).toMatchObject({ predictedPath: "unknown", predictionReason: "camera-unknown" });
  });

  it("drops a colo that is not a three-letter airport code", () => {
    expect(reportRow(GRANT, REPORT, null, NOW, "<b>x</b>").colo).toBeNull();
  });

  it("round-trips into what the owner's history shows", () => {
    const stored = storedReport(reportRow(GRANT, REPORT, CONE_CAMERA, NOW, null));
    expect(stored).toMatchObject({ outcome: "ok", path: "p2p", firstPath: "relay", pathChanges: 1, ttff: REPORT.ttff, cameraNatType: "restricted-cone", predictedPath: "p2p" });
  });
});
