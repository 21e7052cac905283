import { describe, expect, it } from "vitest";
import type { SessionReport } from "../../../protocol/session-report.ts";
import { initialSessionState, sessionReducer, type SessionEvent, type SessionState } from "../lib/session-state.ts";
import { sendSessionReport } from "./report-sender.ts";
import { SessionReporter } from "./session-reporter.ts";

function harness() {
  let state: SessionState = initialSessionState;
  const sent: { sessionId: string; token: string; report: SessionReport }[] = [];
  const reporter = new SessionReporter({ state: () => state, now: () => 5000, browser: "firefox", send: (sessionId, token, report) => sent.push({ sessionId, token, report }) });
  const dispatch = (...events: SessionEvent[]) => (state = events.reduce(sessionReducer, state));
  return { reporter, sent, dispatch };
}

describe("SessionReporter", () => {
  it("sends nothing for a session the edge never granted", () => {
    const h = harness();
    h.dispatch({ type: "connect", at: 0 }, { type: "fail", error: { code: "device_offline" } });
    h.reporter.final();
    expect(h.sent).toEqual([]);
  });

  it("sends one final report however many times the session is ended", () => {
    const h = harness();
    h.dispatch({ type: "connect", at: 0 }, { type: "ticket", sessionId: "sess-0001" });
    h.reporter.granted("sess-0001", "tok");
    h.dispatch({ type: "fail", error: { code: "offer_timeout" } });
    h.reporter.final();
    h.reporter.final();
    h.reporter.interim();
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]).toMatchObject({ sessionId: "sess-0001", token: "tok", report: { final: true, outcome: "failed", stage: "signaling", cause: "offer_timeout", durationMs: 5000, browser: "firefox" } });
  });

  it("sends an interim report when the tab goes to the background, then the final one at the end", () => {
    const h = harness();
    h.dispatch({ type: "connect", at: 0 }, { type: "ticket", sessionId: "sess-0001" });
    h.reporter.granted("sess-0001", "tok");
    h.reporter.interim();
    h.reporter.interim();
    h.reporter.final();
    expect(h.sent.map((s) => s.report.final)).toEqual([false, true]);
  });
});

describe("sendSessionReport", () => {
  it("queues the report as a beacon to the session's report URL", () => {
    const beacons: [string, string][] = [];
    const ok = sendSessionReport("sess-0001", "tok", { outcome: "ok" } as SessionReport, { sendBeacon: (url, data) => (beacons.push([url, data]), true) });
    expect(ok).toBe(true);
    expect(beacons).toEqual([["/api/session-reports/sess-0001", JSON.stringify({ token: "tok", report: { outcome: "ok" } })]]);
  });

  it("falls back to a keepalive fetch when the beacon queue refuses it", () => {
    const fetches: [string, RequestInit][] = [];
    const ok = sendSessionReport("sess-0001", "tok", { outcome: "ok" } as SessionReport, {
      sendBeacon: () => false,
      fetch: (url, init) => (fetches.push([url, init]), Promise.resolve()),
    });
    expect(ok).toBe(true);
    expect(fetches[0]?.[1]).toMatchObject({ method: "POST", keepalive: true, credentials: "omit" });
  });
});
