// Session reports at the edge, in workerd with the real migrations: what is stored (with the
// camera's NAT from D1, never the viewer's word for it), who may write it, how often, and how
// hostile input is refused without touching anyone else's row.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  MAX_SESSION_REPORT_BYTES,
  SESSION_REPORT_TOKEN_TTL_SECONDS,
  type NatStatus,
  type SessionRecordList,
  type SessionReport,
} from "../../protocol/index.ts";
import { mintReportToken } from "../src/auth/report-token.ts";
import { claim, signUp, startUserViewer } from "./support/accounts.ts";
import { connectDevice, openViewer, ticketFor, VIEWER_HELLO } from "./support/connect.ts";
import { call, errorOf } from "./support/http.ts";
import { nowSeconds } from "./support/keys.ts";
import { provisionDevice, type TestDevice } from "./support/provision.ts";

const RELAYED: SessionReport = {
  final: true,
  outcome: "ok",
  stage: "live",
  cause: null,
  path: "relay",
  firstPath: "relay",
  pathChanges: 0,
  iceRestarts: 0,
  relayTransport: "udp",
  forcedRelay: false,
  ttff: { signalingMs: 120, iceMs: 300, dtlsMs: 60, firstFrameMs: 150, totalMs: 630 },
  durationMs: 45_000,
  browser: "chromium",
  viewerNat: { natType: "port-restricted-cone", mapping: "endpoint-independent", filtering: "address-and-port-dependent", udpBlocked: false },
};

const SYMMETRIC_CAMERA: NatStatus = {
  natType: "symmetric",
  mapping: "address-and-port-dependent",
  filtering: "address-and-port-dependent",
  hairpinning: false,
  udpBlocked: false,
  rfc5780: true,
  at: Date.now(),
};

interface Granted {
  device: TestDevice;
  sessionId: string;
  reportToken: string;
}

/** A camera online and one access-code session granted on it. */
async function grantedSession(device?: TestDevice): Promise<Granted> {
  const d = device ?? (await provisionDevice());
  if (!device) await connectDevice(d);
  const { sessionId, reportToken } = await ticketFor(d);
  return { device: d, sessionId, reportToken };
}

function postReport(sessionId: string, body: unknown, contentType = "application/json"): Promise<Response> {
  return call(`/api/session-reports/${sessionId}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function storedRow(sessionId: string): Promise<Record<string, unknown> | null> {
  return env.DB.prepare("SELECT * FROM session_reports WHERE session_id = ?").bind(sessionId).first();
}

async function setCameraNat(serial: string, nat: NatStatus): Promise<void> {
  await env.DB.prepare("UPDATE devices SET nat_status = ?, nat_status_at = ? WHERE serial = ?").bind(JSON.stringify(nat), Date.now(), serial).run();
}

describe("POST /api/session-reports/:sessionId", () => {
  it("stores the report with the camera's NAT from D1 and the two-sided prediction", async () => {
    const s = await grantedSession();
    await setCameraNat(s.device.serial, SYMMETRIC_CAMERA);
    const before = Date.now();
    const res = await postReport(s.sessionId, { token: s.reportToken, report: RELAYED });
    expect(res.status, await res.clone().text()).toBe(204);

    const row = await storedRow(s.sessionId);
    expect(row).toMatchObject({
      serial: s.device.serial,
      user_id: null,
      role: "code",
      final: 1,
      outcome: "ok",
      stage: "live",
      cause: null,
      path: "relay",
      relay_transport: "udp",
      signaling_ms: 120,
      ice_ms: 300,
      dtls_ms: 60,
      first_frame_ms: 150,
      ttff_ms: 630,
      duration_ms: 45_000,
      browser: "chromium",
      camera_nat_type: "symmetric",
      viewer_nat_type: "port-restricted-cone",
      predicted_path: "relay",
      prediction_reason: "camera-symmetric-viewer-port-filtering",
    });
    expect(row!.received_at as number).toBeGreaterThanOrEqual(before);
  });

  it("accepts the report as text/plain, the way navigator.sendBeacon sends a string", async () => {
    const s = await grantedSession();
    const res = await postReport(s.sessionId, { token: s.reportToken, report: { ...RELAYED, path: "lan", firstPath: "lan", relayTransport: null } }, "text/plain;charset=UTF-8");
    expect(res.status, await res.clone().text()).toBe(204);
    // A LAN path needs no traversal: the prediction says same network, whatever the NATs are.
    expect(await storedRow(s.sessionId)).toMatchObject({ path: "lan", predicted_path: "lan", prediction_reason: "same-network", camera_nat_type: null });
  });

  it("refuses a report that claims a NAT for the camera (the edge keeps its own)", async () => {
    const s = await grantedSession();
    await setCameraNat(s.device.serial, SYMMETRIC_CAMERA);
    const res = await postReport(s.sessionId, { token: s.reportToken, report: { ...RELAYED, cameraNat: { natType: "full-cone" } } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("bad_request");
    expect(await storedRow(s.sessionId)).toBeNull();
  });

  it("keeps one report per session: a second final one is refused with report_exists", async () => {
    const s = await grantedSession();
    expect((await postReport(s.sessionId, { token: s.reportToken, report: RELAYED })).status).toBe(204);
    const again = await postReport(s.sessionId, { token: s.reportToken, report: { ...RELAYED, outcome: "failed", stage: "ice", cause: "ice_failed" } });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("report_exists");
    expect(await storedRow(s.sessionId)).toMatchObject({ outcome: "ok", stage: "live" });
  });

  it("lets the final report replace the interim one sent from a background tab, once", async () => {
    const s = await grantedSession();
    const interim = { ...RELAYED, final: false, durationMs: 10_000 };
    expect((await postReport(s.sessionId, { token: s.reportToken, report: interim })).status).toBe(204);
    expect((await postReport(s.sessionId, { token: s.reportToken, report: { ...interim, durationMs: 11_000 } })).status).toBe(409);
    expect((await postReport(s.sessionId, { token: s.reportToken, report: { ...RELAYED, iceRestarts: 2 } })).status).toBe(204);
    expect(await storedRow(s.sessionId)).toMatchObject({ final: 1, duration_ms: 45_000, ice_restarts: 2 });
    expect((await postReport(s.sessionId, { token: s.reportToken, report: RELAYED })).status).toBe(409);
  });

  it("refuses another viewer's token for my session (report_not_yours) and leaves my report alone", async () => {
    const mine = await grantedSession();
    const theirs = await grantedSession(mine.device);
    const res = await postReport(mine.sessionId, { token: theirs.reportToken, report: { ...RELAYED, outcome: "failed", stage: "ice", cause: "ice_failed" } });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("report_not_yours");
    expect(await storedRow(mine.sessionId)).toBeNull();
    expect((await postReport(mine.sessionId, { token: mine.reportToken, report: RELAYED })).status).toBe(204);
  });

  it("refuses a report for a session nobody was granted", async () => {
    const s = await grantedSession();
    const unknown = "unknownsession000000001";
    const withOther = await postReport(unknown, { token: s.reportToken, report: RELAYED });
    expect(withOther.status).toBe(403);
    expect((await errorOf(withOther)).code).toBe("report_not_yours");
    const withMadeUp = await postReport(unknown, { token: "x".repeat(40), report: RELAYED });
    expect(withMadeUp.status).toBe(401);
    expect((await errorOf(withMadeUp)).code).toBe("report_token_invalid");
    expect(await storedRow(unknown)).toBeNull();
  });

  it("refuses the viewer ticket presented as a report token (wrong audience)", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const { sessionId, ticket } = await ticketFor(device);
    const res = await postReport(sessionId, { token: ticket, report: RELAYED });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("report_token_invalid");
  });

  it("refuses an expired report token", async () => {
    const device = await provisionDevice();
    const sessionId = "expiredsession00000001";
    const token = await mintReportToken(env, device.serial, sessionId, { userId: null, role: "code" }, nowSeconds() - SESSION_REPORT_TOKEN_TTL_SECONDS - 60);
    const res = await postReport(sessionId, { token, report: RELAYED });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("report_token_invalid");
  });

  it.each([
    ["an unknown key", { ...RELAYED, extra: 1 }],
    ["a wrong type", { ...RELAYED, durationMs: "45000" }],
    ["a negative time", { ...RELAYED, ttff: { ...RELAYED.ttff, iceMs: -5 } }],
    ["a time past the bound", { ...RELAYED, ttff: { ...RELAYED.ttff, totalMs: 10_000_000 } }],
    ["a fractional count", { ...RELAYED, iceRestarts: 1.5 }],
    ["an overlong cause", { ...RELAYED, outcome: "failed", cause: "x".repeat(65) }],
    ["a cause that is not a code", { ...RELAYED, outcome: "failed", cause: "<script>" }],
    ["an unknown path", { ...RELAYED, path: "carrier-pigeon" }],
    ["an unknown key in the viewer's NAT", { ...RELAYED, viewerNat: { ...RELAYED.viewerNat, publicIp: "198.51.100.7" } }],
  ])("refuses %s with a JSON bad_request and stores nothing", async (_what, report) => {
    const s = await grantedSession();
    const res = await postReport(s.sessionId, { token: s.reportToken, report });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("bad_request");
    expect(await storedRow(s.sessionId)).toBeNull();
  });

  it("refuses a body that is not JSON, or sent as a form", async () => {
    const s = await grantedSession();
    const notJson = await postReport(s.sessionId, "{not json");
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).code).toBe("bad_request");
    const form = await postReport(s.sessionId, `token=${s.reportToken}`, "application/x-www-form-urlencoded");
    expect(form.status).toBe(400);
    expect((await errorOf(form)).code).toBe("bad_request");
  });

  it(`refuses a body over ${MAX_SESSION_REPORT_BYTES} bytes with message_too_large (413)`, async () => {
    const s = await grantedSession();
    const padded = JSON.stringify({ token: s.reportToken, report: RELAYED, pad: "x".repeat(MAX_SESSION_REPORT_BYTES) });
    const res = await postReport(s.sessionId, padded);
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe("message_too_large");
    expect(await storedRow(s.sessionId)).toBeNull();
  });
});

describe("session reports in the owner's history", () => {
  it("shows each session's report next to the hub's record, and a session that failed before the welcome", async () => {
    const device = await provisionDevice("ES256", { allowCodeViewing: false });
    const owner = await signUp();
    await claim(owner, device);
    const deviceSocket = await connectDevice(device);
    await setCameraNat(device.serial, SYMMETRIC_CAMERA);

    // One session the hub saw (hello → welcome), which sent no report (an older PWA).
    const { viewer, sessionId: watched } = await startUserViewer(owner, device.serial, deviceSocket);
    viewer.send({ type: "bye", reason: "user" });
    // A second session, which failed before the welcome: only its report knows it.
    const res = await call("/api/sessions", { method: "POST", headers: { "content-type": "application/json", cookie: owner.cookie }, body: JSON.stringify({ serial: device.serial }) });
    const failed = (await res.json()) as { sessionId: string; reportToken: string };
    const failure: SessionReport = { ...RELAYED, outcome: "failed", stage: "signaling", cause: "offer_timeout", path: null, firstPath: null, relayTransport: null, ttff: { signalingMs: null, iceMs: null, dtlsMs: null, firstFrameMs: null, totalMs: null }, durationMs: 15_000 };
    expect((await postReport(failed.sessionId, { token: failed.reportToken, report: failure })).status).toBe(204);

    const list = await call(`/api/cameras/${device.serial}/sessions`, { headers: { cookie: owner.cookie } });
    const { sessions } = (await list.json()) as SessionRecordList;
    const failedRow = sessions.find((s) => s.sessionId === failed.sessionId);
    expect(failedRow).toMatchObject({ email: owner.email, role: "owner", path: null, endReason: "offer_timeout" });
    expect(failedRow?.report).toMatchObject({ outcome: "failed", stage: "signaling", cause: "offer_timeout", cameraNatType: "symmetric" });
    const watchedRow = sessions.find((s) => s.sessionId === watched);
    expect(watchedRow?.report).toBeNull();
  });

  it("joins a session the hub recorded with its report", async () => {
    const device = await provisionDevice("ES256", { allowCodeViewing: false });
    const owner = await signUp();
    await claim(owner, device);
    const deviceSocket = await connectDevice(device);
    const res = await call("/api/sessions", { method: "POST", headers: { "content-type": "application/json", cookie: owner.cookie }, body: JSON.stringify({ serial: device.serial }) });
    const granted = (await res.json()) as { sessionId: string; reportToken: string; ticket: string };
    const viewer = await openViewer(device.serial, granted.ticket);
    viewer.send(VIEWER_HELLO);
    await viewer.expectMessage("welcome");
    await deviceSocket.expectMessage("session-start");
    expect((await postReport(granted.sessionId, { token: granted.reportToken, report: RELAYED })).status).toBe(204);

    const list = await call(`/api/cameras/${device.serial}/sessions`, { headers: { cookie: owner.cookie } });
    const { sessions } = (await list.json()) as SessionRecordList;
    const row = sessions.find((s) => s.sessionId === granted.sessionId);
    expect(row).toMatchObject({ email: owner.email, role: "owner" });
    expect(row?.report).toMatchObject({
      outcome: "ok",
      stage: "live",
      path: "relay",
      ttff: { totalMs: 630 },
      viewerNatType: "port-restricted-cone",
      cameraNatType: null,
      predictedPath: "unknown",
      predictionReason: "camera-unknown",
    });
  });
});
