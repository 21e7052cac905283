// Why: a session report is sent as the session ends, often as the tab closes, when an ordinary
// fetch is cancelled. navigator.sendBeacon is queued by the browser and survives the page
// (W3C Beacon §3.1); a string goes as text/plain, which the edge's report route accepts. Where
// there is no beacon, or its queue is full, fetch with keepalive is the same promise (Fetch §4.5).
import type { SessionReport } from "../../../protocol/session-report.ts";

export interface ReportChannel {
  sendBeacon?: (url: string, data: string) => boolean;
  fetch?: (url: string, init: RequestInit) => Promise<unknown>;
}

function browserChannel(): ReportChannel {
  const nav = typeof navigator !== "undefined" ? navigator : undefined;
  return {
    ...(nav && typeof nav.sendBeacon === "function" ? { sendBeacon: (url: string, data: string) => nav.sendBeacon(url, data) } : {}),
    ...(typeof fetch === "function" ? { fetch: (url: string, init: RequestInit) => fetch(url, init) } : {}),
  };
}

export function reportUrl(sessionId: string): string {
  return `/api/session-reports/${encodeURIComponent(sessionId)}`;
}

/** Hands the report to the browser to deliver; true when it was queued. Never throws. */
export function sendSessionReport(sessionId: string, token: string, report: SessionReport, channel: ReportChannel = browserChannel()): boolean {
  const url = reportUrl(sessionId);
  const body = JSON.stringify({ token, report });
  try {
    if (channel.sendBeacon?.(url, body)) return true;
  } catch {
    /* a beacon refused outright: fall through to fetch */
  }
  if (!channel.fetch) return false;
  channel
    .fetch(url, { method: "POST", body, keepalive: true, credentials: "omit", headers: { "content-type": "application/json" } })
    .catch(() => undefined);
  return true;
}
