// The roll-up as counters (analytics/report-counters.ts), in workerd with the real migrations:
// after any mix of reports — interim ones replaced by final ones in a later hour, duplicates,
// reports of one session racing each other — the counters equal a rebuild of the same hours from
// the raw rows, and storing a report reads a bounded number of rows however full its hour is.
// Each test writes into hours of its own, far from now, so other files cannot disturb the figures.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SessionReport } from "../../protocol/index.ts";
import { hourOf, recomputeHours, reportCounterStatements, rollupStatements, storeCountedReport } from "../src/analytics/index.ts";
import { db } from "../src/db/client.ts";
import { reportRow } from "../src/reports/report-row.ts";
import { ABANDONED_REPORT, FAILED_AT_ICE_REPORT, LIVE_REPORT, RELAY_REPORT } from "./support/session-reports.ts";

const HOUR = 3_600_000;
const [LIVE, RELAY, FAILED_AT_ICE, ABANDONED] = [LIVE_REPORT, RELAY_REPORT, FAILED_AT_ICE_REPORT, ABANDONED_REPORT];

const SLOW: SessionReport = { ...LIVE, ttff: { ...LIVE.ttff, totalMs: 9000 } };
const REFUSED: SessionReport = { ...FAILED_AT_ICE, stage: "signaling", cause: "device_busy" };

/** A private hour: random, hundreds of days back, so no other test file writes there. */
function privateHour(): number {
  return hourOf(Date.now()) - (2000 + Math.floor(Math.random() * 5000)) * HOUR;
}

let seq = 0;
function session(): string {
  seq += 1;
  return `cnt-${Date.now().toString(36)}-${seq}-${Math.random().toString(36).slice(2, 8)}`;
}

function store(sessionId: string, serial: string, report: SessionReport, at: number, colo: string | null = "AMS"): Promise<boolean> {
  const row = reportRow({ sessionId, serial, userId: null, role: "code", issuedAt: Math.floor((at - report.durationMs) / 1000) - 5 }, report, null, at, colo, null);
  return storeCountedReport(env.DB, db(env.DB), row);
}

type Rows = Record<string, unknown>[];
async function rollupOf(hours: number[]): Promise<{ sessions: Rows; cameras: Rows }> {
  const marks = hours.map(() => "?").join(", ");
  const [sessions, cameras] = await env.DB.batch([
    env.DB.prepare(`SELECT * FROM session_hourly WHERE hour IN (${marks}) ORDER BY hour, outcome, stage, cause, path, relay_transport, browser, colo`).bind(...hours),
    env.DB.prepare(`SELECT * FROM camera_hourly WHERE hour IN (${marks}) ORDER BY hour, serial`).bind(...hours),
  ]);
  return { sessions: sessions!.results as Rows, cameras: cameras!.results as Rows };
}

describe("the roll-up counted as each report is stored", () => {
  it("equals a rebuild from the raw rows after a mix of paths, failures, refusals, slow and missing first frames, and null columns", async () => {
    const h = privateHour();
    const serials = [`CNTA${seq}${Date.now()}`, `CNTB${seq}${Date.now()}`];
    const mix = [LIVE, LIVE, RELAY, SLOW, FAILED_AT_ICE, REFUSED, ABANDONED, { ...LIVE, browser: "firefox" as const }];
    let i = 0;
    for (const report of mix) {
      for (const serial of serials) {
        i += 1;
        expect(await store(session(), serial, report, h + i * 1000, i % 3 === 0 ? null : "AMS")).toBe(true);
      }
    }
    const counted = await rollupOf([h]);
    expect(counted.sessions.reduce((n, r) => n + (r.count as number), 0)).toBe(mix.length * 2);
    expect(counted.cameras).toEqual(serials.sort().map((serial) => ({ hour: h, serial, total: 8, relayed: 1, failed: 1 })));
    await recomputeHours(env.DB, [h]);
    expect(await rollupOf([h])).toEqual(counted);
  });

  it("moves a session to the later hour when its final report replaces the interim one, and refuses a second final report without counting it", async () => {
    const h1 = privateHour();
    const h2 = h1 + HOUR;
    const serial = `CNTM${Date.now()}`;
    const id = session();
    const other = session();
    expect(await store(other, serial, LIVE, h1 + 100)).toBe(true);
    expect(await store(id, serial, { ...ABANDONED, final: false }, h1 + 500)).toBe(true);
    // An interim report never replaces one already stored.
    expect(await store(id, serial, { ...RELAY, final: false }, h1 + 600)).toBe(false);
    expect((await rollupOf([h1])).cameras).toEqual([{ hour: h1, serial, total: 2, relayed: 0, failed: 0 }]);
    expect(await store(id, serial, RELAY, h2 + 10)).toBe(true);
    expect(await store(id, serial, FAILED_AT_ICE, h2 + 20)).toBe(false);
    const counted = await rollupOf([h1, h2]);
    expect(counted.cameras).toEqual([
      { hour: h1, serial, total: 1, relayed: 0, failed: 0 },
      { hour: h2, serial, total: 1, relayed: 1, failed: 0 },
    ]);
    // The interim report's group is gone from its hour, not left at zero.
    expect(counted.sessions.filter((r) => r.hour === h1)).toHaveLength(1);
    await recomputeHours(env.DB, [h1, h2]);
    expect(await rollupOf([h1, h2])).toEqual(counted);
  });

  it("counts each session once when its interim and final reports, and a duplicate final one, arrive at the same moment", async () => {
    const h = privateHour();
    const serial = `CNTR${Date.now()}`;
    const ids = Array.from({ length: 6 }, () => session());
    await Promise.all(
      ids.flatMap((id, n) => [
        store(id, serial, { ...ABANDONED, final: false }, h + n * 10),
        store(id, serial, RELAY, h + n * 10 + 1),
        store(id, serial, FAILED_AT_ICE, h + n * 10 + 2),
      ]),
    );
    const counted = await rollupOf([h]);
    const raw = await env.DB.prepare("SELECT COUNT(*) AS n FROM session_reports WHERE serial = ?").bind(serial).first<{ n: number }>();
    expect(raw!.n).toBe(6);
    expect(counted.cameras).toHaveLength(1);
    expect(counted.cameras[0]!.total).toBe(6);
    await recomputeHours(env.DB, [h]);
    expect(await rollupOf([h])).toEqual(counted);
  });

  it("reads a bounded number of rows to store a report, whether its hour holds 10 reports or 400", async () => {
    const h = privateHour();
    const serial = `CNTS${Date.now()}`;
    const readsFor = async (n: number): Promise<number> => {
      const base = h + n * 5000;
      const insert = env.DB.prepare(
        `INSERT INTO session_reports (session_id, serial, role, received_at, started_at, final, outcome, stage, path_changes, ice_restarts, forced_relay, duration_ms, browser, predicted_path, prediction_reason)
         VALUES (?, ?, 'code', ?, ?, 1, 'ok', 'live', 0, 0, 0, 0, 'chromium', 'unknown', 'unknown')`,
      );
      await env.DB.batch(Array.from({ length: n }, (_, k) => insert.bind(`${serial}-${n}-${k}`, serial, base + k, base + k)));
      const row = reportRow({ sessionId: session(), serial, userId: null, role: "code", issuedAt: 0 }, LIVE, null, base + n + 1, "AMS", null);
      const results = await env.DB.batch(reportCounterStatements(env.DB, row));
      return results.reduce((sum, r) => sum + (r.meta.rows_read ?? 0), 0);
    };
    const small = await readsFor(10);
    const large = await readsFor(400);
    // The hour's reports are never scanned: only the session's own row and the roll-up rows.
    expect(large).toBeLessThan(100);
    expect(large - small).toBeLessThan(20);
    // What the figure would be for a rebuild of that hour (the measure itself counts reads).
    const rebuild = await env.DB.batch(rollupStatements(env.DB, [h]));
    expect(rebuild.reduce((sum, r) => sum + (r.meta.rows_read ?? 0), 0)).toBeGreaterThanOrEqual(410);
  });
});
