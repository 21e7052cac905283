// Session analytics in workerd with the real migrations: the hourly roll-up equals the raw
// reports, an interim report replaced by its final one counts once, refusals and device
// connection ends are counted by the edge itself, and the operator's summary shows exactly
// what a known set of sessions did. D1 is shared by test files running at once, so exact
// figures are read for this test's own camera or for a window of hours nobody else writes.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type OpsSummary, type SessionReport } from "../../protocol/index.ts";
import { endConnectionCounted, hourOf, recomputeHours } from "../src/analytics/index.ts";
import { api, claim, requestUserSession, signUp } from "./support/accounts.ts";
import { connectDevice, openViewer, ticketFor, VIEWER_HELLO } from "./support/connect.ts";
import { mintGrant, setCameraPolicy } from "./support/grants.ts";
import { ADMIN_TOKEN, call, errorOf } from "./support/http.ts";
import { provisionDevice } from "./support/provision.ts";
import { ABANDONED_REPORT, FAILED_AT_ICE_REPORT, LAN_REPORT, LIVE_REPORT, RELAY_REPORT } from "./support/session-reports.ts";
import { TestSocket } from "./support/test-socket.ts";
import { eventually } from "./support/wait.ts";

const HOUR = 3_600_000;
const [LIVE, LAN, RELAY, FAILED_AT_ICE, ABANDONED] = [LIVE_REPORT, LAN_REPORT, RELAY_REPORT, FAILED_AT_ICE_REPORT, ABANDONED_REPORT];


async function operatorCookie(): Promise<string> {
  const n = Math.floor(Math.random() * 2 ** 16);
  const res = await api("POST", "/api/ops/session", { body: { adminToken: ADMIN_TOKEN }, ip: `198.19.${n >>> 8}.${n & 255}` });
  expect(res.status).toBe(201);
  return res.headers.getSetCookie().find((h) => h.startsWith("porthole_ops="))!.split(";", 1)[0]!;
}

function postReport(sessionId: string, token: string, report: unknown): Promise<Response> {
  return call(`/api/session-reports/${sessionId}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, report }) });
}

async function cameraRollup(serial: string): Promise<{ total: number; relayed: number; failed: number }> {
  const row = await env.DB.prepare("SELECT COALESCE(SUM(total), 0) AS total, COALESCE(SUM(relayed), 0) AS relayed, COALESCE(SUM(failed), 0) AS failed FROM camera_hourly WHERE serial = ?")
    .bind(serial)
    .first<{ total: number; relayed: number; failed: number }>();
  return row!;
}

async function edgeCount(kind: string, key: string, hour: number): Promise<number> {
  const row = await env.DB.prepare("SELECT count FROM edge_hourly WHERE kind = ? AND key = ? AND hour = ?").bind(kind, key, hour).first<{ count: number }>();
  return row?.count ?? 0;
}

let seq = 0;
/** A raw report row written straight to D1 (the route's own checks are tested elsewhere). */
async function seedReport(at: number, serial: string, r: SessionReport, where: { colo?: string; region?: string } = {}): Promise<void> {
  seq += 1;
  await env.DB.prepare(
    `INSERT INTO session_reports (session_id, serial, user_id, role, received_at, started_at, final, outcome, stage, cause, path, first_path, path_changes, ice_restarts,
      relay_transport, forced_relay, signaling_ms, ice_ms, dtls_ms, first_frame_ms, ttff_ms, duration_ms, browser, camera_nat_type, viewer_nat_type, predicted_path, prediction_reason, colo, turn_region)
     VALUES (?, ?, NULL, 'code', ?, ?, 1, ?, ?, ?, ?, ?, 0, 0, ?, 0, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 'unknown', 'unknown', ?, ?)`,
  )
    .bind(
      `seed-${Date.now()}-${seq}-${Math.random().toString(36).slice(2)}`,
      serial,
      at,
      at - r.durationMs,
      r.outcome,
      r.stage,
      r.cause,
      r.path,
      r.firstPath,
      r.relayTransport,
      r.ttff.signalingMs,
      r.ttff.iceMs,
      r.ttff.dtlsMs,
      r.ttff.firstFrameMs,
      r.ttff.totalMs,
      r.durationMs,
      r.browser,
      where.colo ?? null,
      where.region ?? null,
    )
    .run();
}

describe("the hourly roll-up", () => {
  it("counts a scripted mix (LAN, P2P, forced relay, failed at ICE, abandoned) through the real route, per camera", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    for (const report of [LAN, LIVE, RELAY, FAILED_AT_ICE, ABANDONED]) {
      const { sessionId, reportToken } = await ticketFor(device);
      expect((await postReport(sessionId, reportToken, report)).status).toBe(204);
    }
    expect(await cameraRollup(device.serial)).toEqual({ total: 5, relayed: 1, failed: 1 });
    // The roll-up of the hour equals its raw rows, for this camera's sessions too.
    const hour = hourOf(Date.now());
    const check = await env.DB.batch<{ n: number }>([
      env.DB.prepare("SELECT COALESCE(SUM(count), 0) AS n FROM session_hourly WHERE hour = ?").bind(hour),
      env.DB.prepare("SELECT COUNT(*) AS n FROM session_reports WHERE received_at >= ? AND received_at < ?").bind(hour, hour + HOUR),
    ]);
    // Other files may be posting at the same moment; both sides are read in one transaction, and
    // a report stored but not yet rolled up can only make the raw side larger for an instant.
    expect(check[0]!.results[0]!.n).toBeLessThanOrEqual(check[1]!.results[0]!.n);
    expect(check[0]!.results[0]!.n).toBeGreaterThanOrEqual(5);
  });

  it("counts an interim report replaced by the final one once, as the final one says", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const { sessionId, reportToken } = await ticketFor(device);
    expect((await postReport(sessionId, reportToken, { ...ABANDONED, final: false })).status).toBe(204);
    expect(await cameraRollup(device.serial)).toEqual({ total: 1, relayed: 0, failed: 0 });
    expect((await postReport(sessionId, reportToken, RELAY)).status).toBe(204);
    expect(await cameraRollup(device.serial)).toEqual({ total: 1, relayed: 1, failed: 0 });
    // A second final one is refused and changes nothing.
    expect((await postReport(sessionId, reportToken, FAILED_AT_ICE)).status).toBe(409);
    expect(await cameraRollup(device.serial)).toEqual({ total: 1, relayed: 1, failed: 0 });
  });
});

describe("what only the edge sees", () => {
  it("counts a viewer refused with device_busy from the hub's own decision", async () => {
    const device = await provisionDevice();
    await setCameraPolicy(device.serial, 1);
    await connectDevice(device);
    const hour = hourOf(Date.now());
    const before = await edgeCount("refused", "device_busy", hour);
    const first = await openViewer(device.serial, (await mintGrant(device.serial)).ticket);
    first.send(VIEWER_HELLO);
    expect((await first.next()).type).toBe("welcome");
    const second = await openViewer(device.serial, (await mintGrant(device.serial)).ticket);
    second.send(VIEWER_HELLO);
    expect(await second.next()).toMatchObject({ code: "device_busy" });
    await eventually(() => edgeCount("refused", "device_busy", hourOf(Date.now())), (n) => n >= before + 1);
  });

  it("counts viewers refused before the hub once their credentials checked out — a camera offline at POST /api/sessions, no access on /ws/watch — and never a signed-out one", async () => {
    const device = await provisionDevice();
    const owner = await signUp();
    await claim(owner, device);
    const stranger = await signUp();
    const hour = hourOf(Date.now());
    const before = { offline: await edgeCount("refused", "device_offline", hour), noAccess: await edgeCount("refused", "no_access", hour) };
    // The camera never connected: the owner is told it is offline.
    const res = await requestUserSession(owner, device.serial);
    expect((await errorOf(res)).code).toBe("device_offline");
    await eventually(() => edgeCount("refused", "device_offline", hour), (n) => n >= before.offline + 1);
    const watch = (cookie?: string) => call(`/ws/watch/${device.serial}?v=${PROTOCOL_VERSION}`, { headers: { upgrade: "websocket", ...(cookie ? { cookie } : {}) } });
    const refused = await TestSocket.from(await watch(stranger.cookie));
    expect((await refused.expectMessage("error")).code).toBe("no_access");
    await eventually(() => edgeCount("refused", "no_access", hour), (n) => n >= before.noAccess + 1);
    // Signed out: logged, not counted (nobody but this test is ever refused with not_signed_in on a socket).
    const anonymous = await TestSocket.from(await watch());
    expect((await anonymous.expectMessage("error")).code).toBe("not_signed_in");
    await new Promise((r) => setTimeout(r, 200));
    expect(await edgeCount("refused", "not_signed_in", hour)).toBe(0);
  });

  it("counts a device connection's end reason once, taking back an edge-restart guess the close event corrects", async () => {
    const serial = `END${Date.now()}`;
    const hour = hourOf(Date.now()) - 70 * HOUR;
    const id = `conn-${Math.random().toString(36).slice(2)}`;
    await env.DB.prepare("INSERT INTO device_connections (id, serial, connected_at) VALUES (?, ?, ?)").bind(id, serial, hour).run();
    const end = (reason: "edge-restart" | "connection-lost", at: number) => ({ id, reason, closeCode: null, endedAt: new Date(at), lastSeenAt: new Date(hour) });
    const before = { restart: await edgeCount("device_end", "edge-restart", hour), lost: await edgeCount("device_end", "connection-lost", hour + HOUR) };
    await endConnectionCounted(env.DB, end("edge-restart", hour + 100));
    expect(await edgeCount("device_end", "edge-restart", hour)).toBe(before.restart + 1);
    await endConnectionCounted(env.DB, end("connection-lost", hour + HOUR + 100));
    expect(await edgeCount("device_end", "edge-restart", hour)).toBe(before.restart);
    expect(await edgeCount("device_end", "connection-lost", hour + HOUR)).toBe(before.lost + 1);
    // The verdict stands: a later guess neither changes the row nor counts again.
    await endConnectionCounted(env.DB, end("edge-restart", hour + HOUR + 200));
    expect(await edgeCount("device_end", "edge-restart", hour + HOUR)).toBe(0);
    expect(await edgeCount("device_end", "connection-lost", hour + HOUR)).toBe(before.lost + 1);
  });

  it("counts a camera that stops cleanly as clean-stop", async () => {
    const device = await provisionDevice();
    const socket = await connectDevice(device);
    const before = await edgeCount("device_end", "clean-stop", hourOf(Date.now()));
    socket.close(1000, "bye");
    await eventually(() => edgeCount("device_end", "clean-stop", hourOf(Date.now())), (n) => n >= before + 1);
  });
});

describe("GET /api/ops/summary", () => {
  it("shows exactly what a known set of sessions, refusals and device ends did", async () => {
    // Three hours, 20 days ago (inside the raw retention, so percentiles are exact), that no other test writes.
    const base = hourOf(Date.now()) - (20 * 24 + Math.floor(Math.random() * 100)) * HOUR;
    const a = `OPSA${Date.now()}`;
    const b = `OPSB${Date.now()}`;
    await seedReport(base + 1000, a, LAN, { colo: "FRA", region: "eu" });
    await seedReport(base + 2000, a, LIVE, { colo: "FRA", region: "eu" });
    await seedReport(base + 3000, b, RELAY, { colo: "FRA", region: "eu" });
    await seedReport(base + HOUR + 1000, b, RELAY, { colo: "IAD", region: "us" });
    await seedReport(base + HOUR + 2000, b, FAILED_AT_ICE, { colo: "IAD", region: "us" });
    await seedReport(base + 2 * HOUR + 1000, a, ABANDONED);
    // A connection lost after the first picture is a live session on its path, not a failure.
    await seedReport(base + 2 * HOUR + 2000, a, { ...LIVE, outcome: "failed", stage: "live", cause: "connection_lost" });
    // A viewer the edge turned away (camera full) reports "failed" too: the edge's own refusal
    // count is what counts, so this report is neither a failure nor a started session.
    await seedReport(base + HOUR + 3000, a, { ...FAILED_AT_ICE, stage: "signaling", cause: "device_busy" });
    await recomputeHours(env.DB, [base, base + HOUR, base + 2 * HOUR]);
    const bump = env.DB.prepare("INSERT INTO edge_hourly (hour, kind, key, count) VALUES (?, ?, ?, ?)");
    await env.DB.batch([
      bump.bind(base + HOUR, "refused", "device_busy", 2),
      bump.bind(base + 2 * HOUR, "refused", "device_offline", 1),
      bump.bind(base + 2 * HOUR, "refused", "access_revoked", 0),
      bump.bind(base + 2 * HOUR, "device_end", "connection-lost", 3),
      bump.bind(base + 2 * HOUR, "device_end", "clean-stop", 1),
    ]);

    const res = await api("GET", `/api/ops/summary?from=${base}&to=${base + 3 * HOUR}`, { cookie: await operatorCookie() });
    expect(res.status, await res.clone().text()).toBe(200);
    const s = (await res.json()) as OpsSummary;
    expect(s).toMatchObject({ from: base, to: base + 3 * HOUR, bucketMs: HOUR });
    expect(s.sessions).toEqual([
      { at: base, lan: 1, p2p: 1, relay: 1, failed: 0, refused: 0 },
      { at: base + HOUR, lan: 0, p2p: 0, relay: 1, failed: 1, refused: 2 },
      { at: base + 2 * HOUR, lan: 0, p2p: 1, relay: 0, failed: 0, refused: 1 },
    ]);
    expect(s.totals).toEqual({ started: 7, live: 5, failed: 1, refused: 3, abandoned: 1, successRate: 5 / 6 });
    // Total TTFF of the five live sessions: 240, 500, 1300, 1300, 500.
    expect(s.ttff.buckets).toEqual([
      { le: 250, count: 1 },
      { le: 500, count: 2 },
      { le: 1000, count: 0 },
      { le: 2000, count: 2 },
      { le: 4000, count: 0 },
      { le: 8000, count: 0 },
      { le: null, count: 0 },
    ]);
    expect(s.ttff.source).toBe("raw");
    expect(s.ttff.phases.total).toEqual({ p50: 500, p95: 1300, count: 5 });
    expect(s.ttff.phases.ice).toEqual({ p50: 200, p95: 900, count: 5 });
    expect(s.failures).toEqual([{ stage: "ice", cause: "ice_failed", count: 1 }]);
    // By code, most first; a count taken back to zero is not a row.
    expect(s.refusals).toEqual([
      { code: "device_busy", count: 2 },
      { code: "device_offline", count: 1 },
    ]);
    expect(s.cameras).toEqual([
      { serial: b, total: 3, relayed: 2, failed: 1 },
    ]);
    expect(s.offline).toEqual([
      { reason: "connection-lost", count: 3 },
      { reason: "clean-stop", count: 1 },
    ]);
    expect(s.regions).toEqual([
      { region: "eu", colo: "FRA", total: 3, relayed: 1 },
      { region: "none", colo: "local", total: 3, relayed: 0 },
      { region: "us", colo: "IAD", total: 2, relayed: 1 },
    ]);

    // The per-chart routes answer the same figures.
    const cookie = await operatorCookie();
    const one = async (path: string) => (await (await api("GET", `/api/ops/${path}?from=${base}&to=${base + 3 * HOUR}`, { cookie })).json()) as Record<string, unknown>;
    expect((await one("sessions")).sessions).toEqual(s.sessions);
    expect((await one("ttff")).ttff).toEqual(s.ttff);
    expect((await one("failures")).failures).toEqual(s.failures);
    expect((await one("failures")).refusals).toEqual(s.refusals);
    expect((await one("cameras")).cameras).toEqual(s.cameras);
    expect((await one("offline")).offline).toEqual(s.offline);
    expect((await one("regions")).regions).toEqual(s.regions);
  });

  it("sums whole UTC days into one bar each for a range over 3 days", async () => {
    const day = 86_400_000;
    const dayStart = Math.floor((Date.now() - 25 * day) / day) * day - Math.floor(Math.random() * 20) * day;
    const serial = `OPSDAY${Date.now()}`;
    // Two sessions in different hours of the same day, one on the next day.
    await seedReport(dayStart + 2 * HOUR + 5, serial, RELAY);
    await seedReport(dayStart + 20 * HOUR + 5, serial, LAN);
    await seedReport(dayStart + day + HOUR + 5, serial, FAILED_AT_ICE);
    await recomputeHours(env.DB, [dayStart + 2 * HOUR, dayStart + 20 * HOUR, dayStart + day + HOUR]);
    const res = await api("GET", `/api/ops/sessions?from=${dayStart}&to=${dayStart + 4 * day}`, { cookie: await operatorCookie() });
    const body = (await res.json()) as { bucketMs: number; sessions: OpsSummary["sessions"] };
    expect(body.bucketMs).toBe(day);
    expect(body.sessions).toHaveLength(4);
    expect(body.sessions[0]).toMatchObject({ at: dayStart, lan: 1, relay: 1, failed: 0 });
    expect(body.sessions[1]).toMatchObject({ at: dayStart + day, lan: 0, relay: 0, failed: 1 });
  });
});
