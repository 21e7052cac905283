// A hostile viewer feeding the operators' figures: whatever it sends that is oversized, of the
// wrong type, out of bounds, or about a session or camera that is not its own is refused before
// it reaches D1, so neither the raw reports nor the hourly roll-up move.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_PHASE_MS, MAX_SESSION_REPORT_BYTES, type SessionReport } from "../../protocol/index.ts";
import { connectDevice, ticketFor } from "./support/connect.ts";
import { call, errorOf } from "./support/http.ts";
import { provisionDevice, type TestDevice } from "./support/provision.ts";
import { LIVE_REPORT } from "./support/session-reports.ts";

const OK: SessionReport = { ...LIVE_REPORT, browser: "firefox" };

function post(sessionId: string, body: unknown): Promise<Response> {
  return call(`/api/session-reports/${sessionId}`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function counted(serial: string): Promise<{ raw: number; rolled: number }> {
  const [raw, rolled] = await env.DB.batch<{ n: number }>([
    env.DB.prepare("SELECT COUNT(*) AS n FROM session_reports WHERE serial = ?").bind(serial),
    env.DB.prepare("SELECT COALESCE(SUM(total), 0) AS n FROM camera_hourly WHERE serial = ?").bind(serial),
  ]);
  return { raw: raw!.results[0]!.n, rolled: rolled!.results[0]!.n };
}

async function onlineCamera(): Promise<TestDevice> {
  const device = await provisionDevice();
  await connectDevice(device);
  return device;
}

describe("hostile session reports", () => {
  it(`refuses a body over ${MAX_SESSION_REPORT_BYTES} bytes with message_too_large and counts nothing`, async () => {
    const device = await onlineCamera();
    const { sessionId, reportToken } = await ticketFor(device);
    const res = await post(sessionId, { token: reportToken, report: { ...OK, padding: "x".repeat(MAX_SESSION_REPORT_BYTES) } });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe("message_too_large");
    expect(await counted(device.serial)).toEqual({ raw: 0, rolled: 0 });
  });

  it.each([
    ["a number as a string", { ttff: { ...OK.ttff, totalMs: "500" } }],
    ["a fractional phase", { ttff: { ...OK.ttff, iceMs: 1.5 } }],
    ["a negative duration", { durationMs: -1 }],
    [`a phase over ${MAX_PHASE_MS} ms`, { ttff: { ...OK.ttff, totalMs: MAX_PHASE_MS + 1 } }],
    ["an unknown path", { path: "satellite" }],
    ["an outcome that is not one", { outcome: "great" }],
    ["a cause that is not a code", { outcome: "failed", stage: "ice", cause: "<script>alert(1)</script>" }],
    ["a serial (the token says which camera)", { serial: "SOMEONE-ELSES" }],
    ["the camera's NAT (the edge keeps its own)", { cameraNat: { natType: "open" } }],
    ["a colo (the edge reads its own)", { colo: "SJC" }],
    ["a TURN region (the edge picks it)", { turnRegion: "eu" }],
  ])("refuses %s with bad_request and counts nothing", async (_name, change) => {
    const device = await onlineCamera();
    const { sessionId, reportToken } = await ticketFor(device);
    const res = await post(sessionId, { token: reportToken, report: { ...OK, ...change } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("bad_request");
    expect(await counted(device.serial)).toEqual({ raw: 0, rolled: 0 });
  });

  it("refuses a token for session A posted as session B's report (report_not_yours), and counts it for neither camera", async () => {
    const a = await onlineCamera();
    const b = await onlineCamera();
    const sessionA = await ticketFor(a);
    const sessionB = await ticketFor(b);
    const res = await post(sessionB.sessionId, { token: sessionA.reportToken, report: OK });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("report_not_yours");
    expect(await counted(a.serial)).toEqual({ raw: 0, rolled: 0 });
    expect(await counted(b.serial)).toEqual({ raw: 0, rolled: 0 });
  });

  it("stores a report under the camera its token names, and drops what the outcome cannot carry", async () => {
    const device = await onlineCamera();
    const { sessionId, reportToken } = await ticketFor(device);
    // An "ok" session with a cause and a relay transport on a p2p path: neither is kept.
    expect((await post(sessionId, { token: reportToken, report: { ...OK, cause: "made_up", relayTransport: "tls" } })).status).toBe(204);
    const row = await env.DB.prepare("SELECT serial, cause, relay_transport, colo, turn_region FROM session_reports WHERE session_id = ?").bind(sessionId).first();
    expect(row).toEqual({ serial: device.serial, cause: null, relay_transport: null, colo: null, turn_region: null });
    expect(await counted(device.serial)).toEqual({ raw: 1, rolled: 1 });
  });
});
