// Why: each session reports once at its end — or, if the tab goes to the background first (the
// last moment a phone's browser reliably runs code), once as an interim report the final one
// may replace. This holds that bookkeeping for one attempt, apart from the WebRTC plumbing.
import type { BrowserFamily, SessionReport } from "../../../protocol/session-report.ts";
import { buildSessionReport } from "../lib/session-report.ts";
import type { SessionState } from "../lib/session-state.ts";

export interface SessionReporterDeps {
  state(): SessionState;
  now(): number;
  browser: BrowserFamily;
  send(sessionId: string, token: string, report: SessionReport): void;
}

export class SessionReporter {
  private grant: { sessionId: string; token: string } | null = null;
  private sent: "none" | "interim" | "final" = "none";
  private readonly deps: SessionReporterDeps;

  constructor(deps: SessionReporterDeps) {
    this.deps = deps;
  }

  /** The edge granted the session: from now on it has a report to give. */
  granted(sessionId: string, token: string): void {
    this.grant = { sessionId, token };
  }

  /** The tab went to the background: say how it stands, in case the page never runs again. */
  interim(): void {
    if (this.sent === "none") this.send(false);
  }

  /** The session ended (stop, failure, retry, page closing): the report, once. */
  final(): void {
    if (this.sent !== "final") this.send(true);
  }

  private send(final: boolean): void {
    const g = this.grant;
    if (!g) return;
    this.sent = final ? "final" : "interim";
    this.deps.send(g.sessionId, g.token, buildSessionReport({ state: this.deps.state(), endAt: this.deps.now(), final, browser: this.deps.browser }));
  }
}
