import { describe, expect, it } from "vitest";
import { SessionReportSchema } from "../../../protocol/session-report.ts";
import type { CandidateInfo, PathInfo } from "./path-classification.ts";
import { buildSessionReport, ttffPhases, type SessionReportInput } from "./session-report.ts";
import { initialSessionState, sessionReducer, type SessionEvent, type SessionState } from "./session-state.ts";

const run = (events: SessionEvent[]): SessionState => events.reduce(sessionReducer, initialSessionState);

const cand = (type: string, relayProtocol: string | null = null): CandidateInfo => ({ type, address: null, port: null, protocol: "udp", relayProtocol });
const path = (kind: PathInfo["kind"], relayProtocol: string | null = null): PathInfo => ({
  kind,
  label: kind,
  pairId: `pair-${kind}`,
  local: cand(kind === "relay" ? "relay" : "host", relayProtocol),
  remote: cand("host"),
  rttMs: 3,
  nominated: true,
});

const UP_TO_ICE: SessionEvent[] = [
  { type: "connect", at: 1000 },
  { type: "ticket", sessionId: "sess-0001" },
  { type: "socket-open" },
  { type: "welcome", at: 1120 },
  { type: "offer" },
  { type: "answer-sent" },
];
const LIVE: SessionEvent[] = [
  ...UP_TO_ICE,
  { type: "ice-state", state: "connected", at: 1400 },
  { type: "connection-state", state: "connected", at: 1460 },
  { type: "first-frame", at: 1610 },
];

const input = (state: SessionState, over: Partial<SessionReportInput> = {}): SessionReportInput => ({
  state,
  endAt: 46_000,
  final: true,
  browser: "chromium",
  ...over,
});

describe("buildSessionReport", () => {
  it("reports a session that reached its first frame as ok and live, with the time of each phase", () => {
    const r = buildSessionReport(input(run([...LIVE, { type: "stats", path: path("lan"), video: null }])));
    expect(r).toMatchObject({ outcome: "ok", stage: "live", cause: null, path: "lan", firstPath: "lan", pathChanges: 0, relayTransport: null, durationMs: 45_000 });
    expect(r.ttff).toEqual({ signalingMs: 120, iceMs: 280, dtlsMs: 60, firstFrameMs: 150, totalMs: 610 });
    expect(SessionReportSchema.safeParse(r).success).toBe(true);
  });

  it("reports the stage a session failed at and its cause", () => {
    const r = buildSessionReport(input(run([...UP_TO_ICE, { type: "fail", error: { code: "ice_failed" } }])));
    expect(r).toMatchObject({ outcome: "failed", stage: "ice", cause: "ice_failed", path: null });
    expect(r.ttff).toEqual({ signalingMs: 120, iceMs: null, dtlsMs: null, firstFrameMs: null, totalMs: null });
    expect(SessionReportSchema.safeParse(r).success).toBe(true);
  });

  it("reports a failure before the edge's welcome at the signaling stage", () => {
    const r = buildSessionReport(input(run([{ type: "connect", at: 0 }, { type: "ticket", sessionId: "sess-0002" }, { type: "socket-open" }, { type: "signaling-error", code: "device_offline" }])));
    expect(r).toMatchObject({ outcome: "failed", stage: "signaling", cause: "device_offline" });
  });

  it("reports a connection lost after the picture arrived as failed at the live stage", () => {
    const r = buildSessionReport(input(run([...LIVE, { type: "fail", error: { code: "connection_lost" } }])));
    expect(r).toMatchObject({ outcome: "failed", stage: "live", cause: "connection_lost" });
  });

  it("reports a session left before its first frame as abandoned in the stage it was in", () => {
    const r = buildSessionReport(input(run([...UP_TO_ICE, { type: "ice-state", state: "connected", at: 1400 }])));
    expect(r).toMatchObject({ outcome: "abandoned", stage: "dtls", cause: null });
  });

  it("says over which transport the relay was reached, and that the path moved from relay to P2P", () => {
    const relayed = run([...LIVE, { type: "stats", path: path("relay", "tcp"), video: null }]);
    expect(buildSessionReport(input(relayed))).toMatchObject({ path: "relay", relayTransport: "tcp" });
    const moved = run([...LIVE, { type: "stats", path: path("relay", "udp"), video: null }, { type: "ice-restart", reason: "test" }, { type: "stats", path: path("p2p"), video: null }]);
    expect(buildSessionReport(input(moved))).toMatchObject({ path: "p2p", firstPath: "relay", pathChanges: 1, iceRestarts: 1, relayTransport: null });
  });

  it("carries the viewer's NAT from the connection test as the four fields the edge accepts", () => {
    const side = { mapping: "endpoint-independent", filtering: "address-and-port-dependent", udpBlocked: false, extra: "dropped" } as never;
    const r = buildSessionReport(input(run([{ type: "connect", at: 1000, viewerNat: { side, verdict: "port-restricted-cone" } }, ...LIVE.slice(1)])));
    expect(r.viewerNat).toEqual({ natType: "port-restricted-cone", mapping: "endpoint-independent", filtering: "address-and-port-dependent", udpBlocked: false });
    expect(SessionReportSchema.safeParse(r).success).toBe(true);
  });

  it("leaves out a cached viewer NAT that is not valid rather than lose the report", () => {
    const side = { mapping: "sideways", filtering: "endpoint-independent", udpBlocked: false } as never;
    expect(buildSessionReport(input(run([{ type: "connect", at: 1000, viewerNat: { side, verdict: "full-cone" } }, ...LIVE.slice(1)]))).viewerNat).toBeNull();
  });

  it("says the relay was forced when the page asked for relay only", () => {
    expect(buildSessionReport(input(run([{ type: "connect", at: 1000, forcedRelay: true }, ...LIVE.slice(1)]))).forcedRelay).toBe(true);
  });

  it("turns a cause the edge would refuse into unknown", () => {
    const r = buildSessionReport(input(run([...UP_TO_ICE, { type: "fail", error: { code: "Weird Code!" } }])));
    expect(r.cause).toBe("unknown");
    expect(SessionReportSchema.safeParse(r).success).toBe(true);
  });

  it("keeps every time within the bounds the edge accepts", () => {
    const t = ttffPhases({ clickAt: 0, ticketAt: null, socketOpenAt: null, offerAt: null, answerSentAt: null, welcomeAt: 5_000_000, iceConnectedAt: 4_000_000, dtlsConnectedAt: null, firstFrameAt: null });
    expect(t).toEqual({ signalingMs: 600_000, iceMs: 0, dtlsMs: null, firstFrameMs: null, totalMs: null });
    expect(buildSessionReport(input(run(LIVE), { endAt: 1e12 })).durationMs).toBe(7 * 86_400_000);
  });
});
