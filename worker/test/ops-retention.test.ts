// The Cron Trigger's prune, called as workerd calls it (the scheduled handler): raw rows past
// 30 days and roll-ups past 400 go, newer ones stay, and one run deletes a bounded number.
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { hourOf, pruneOnce, RAW_RETENTION_MS, repairRollups, ROLLUP_RETENTION_MS } from "../src/analytics/index.ts";
import worker from "../src/index.ts";

const DAY = 86_400_000;

async function count(sql: string, ...args: unknown[]): Promise<number> {
  return (await env.DB.prepare(sql).bind(...args).first<{ n: number }>())!.n;
}

async function seedReports(serial: string, receivedAt: number, n: number): Promise<void> {
  const insert = env.DB.prepare(
    `INSERT INTO session_reports (session_id, serial, role, received_at, started_at, final, outcome, stage, path_changes, ice_restarts, forced_relay, duration_ms, browser, predicted_path, prediction_reason)
     VALUES (?, ?, 'code', ?, ?, 1, 'ok', 'live', 0, 0, 0, 0, 'chromium', 'unknown', 'unknown')`,
  );
  await env.DB.batch(Array.from({ length: n }, (_, i) => insert.bind(`${serial}-${i}`, serial, receivedAt, receivedAt)));
}

describe("the scheduled prune", () => {
  it("drops raw reports and viewer sessions past 30 days and roll-ups past 400 days, and keeps the rest", async () => {
    // The cron's clock set to 2001: test files share D1, and only rows seeded here are that old
    // (a clock in the future would prune every other test's rows).
    const now = 1_000_000_000_000;
    const serial = `PRUNE${Date.now()}`;
    await seedReports(`${serial}-old`, now - RAW_RETENTION_MS - DAY, 3);
    await seedReports(`${serial}-new`, now - RAW_RETENTION_MS + DAY, 2);
    await env.DB.batch([
      env.DB.prepare("INSERT INTO viewer_sessions (session_id, serial, role, started_at) VALUES (?, ?, 'code', ?)").bind(`${serial}-vs-old`, serial, now - RAW_RETENTION_MS - DAY),
      env.DB.prepare("INSERT INTO viewer_sessions (session_id, serial, role, started_at) VALUES (?, ?, 'code', ?)").bind(`${serial}-vs-new`, serial, now - DAY),
      env.DB.prepare("INSERT INTO edge_hourly (hour, kind, key, count) VALUES (?, 'refused', 'device_busy', 1)").bind(now - ROLLUP_RETENTION_MS - DAY),
      env.DB.prepare("INSERT INTO edge_hourly (hour, kind, key, count) VALUES (?, 'refused', 'device_busy', 1)").bind(now - ROLLUP_RETENTION_MS + DAY),
      env.DB.prepare("INSERT INTO camera_hourly (hour, serial, total, relayed, failed) VALUES (?, ?, 1, 0, 0)").bind(now - ROLLUP_RETENTION_MS - DAY, serial),
    ]);

    // The Worker's own export, called as workerd calls it (a ScheduledController cannot cross the RPC of `exports`).
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "17 * * * *" }), env);

    expect(await count("SELECT COUNT(*) AS n FROM session_reports WHERE serial = ?", `${serial}-old`)).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM session_reports WHERE serial = ?", `${serial}-new`)).toBe(2);
    expect(await count("SELECT COUNT(*) AS n FROM viewer_sessions WHERE serial = ?", serial)).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM edge_hourly WHERE hour IN (?, ?)", now - ROLLUP_RETENTION_MS - DAY, now - ROLLUP_RETENTION_MS + DAY)).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM camera_hourly WHERE serial = ?", serial)).toBe(0);
  });

  it("deletes at most batch × batches rows per table in one run, leaving the backlog to the next", async () => {
    const now = 500_000_000_000;
    const serial = `BACKLOG${Date.now()}`;
    await seedReports(serial, now - RAW_RETENTION_MS - DAY, 7);
    const first = await pruneOnce(env.DB, now, 2, 2);
    expect(first.session_reports).toBe(4);
    expect(await count("SELECT COUNT(*) AS n FROM session_reports WHERE serial = ?", serial)).toBe(3);
    await pruneOnce(env.DB, now, 2, 2);
    expect(await count("SELECT COUNT(*) AS n FROM session_reports WHERE serial = ?", serial)).toBe(0);
  });

  it("rolls up reports stored before the roll-up existed (no session_hourly row for their hour), a bounded number of hours per run", async () => {
    const now = 1_500_000_000_000;
    const serial = `BACKFILL${Date.now()}`;
    const h1 = hourOf(now) - 10 * 3_600_000;
    await seedReports(`${serial}-a`, h1 + 5, 2);
    await seedReports(`${serial}-b`, h1 + 3_600_000 + 5, 1);
    const first = await repairRollups(env.DB, now, 1);
    expect(first).toContain(h1);
    expect(first).not.toContain(h1 + 3_600_000);
    await repairRollups(env.DB, now, 1);
    const rolled = await count("SELECT COALESCE(SUM(total), 0) AS n FROM camera_hourly WHERE serial IN (?, ?)", `${serial}-a`, `${serial}-b`);
    expect(rolled).toBe(3);
  });

  it("logs analytics_maintained with what the run did, and on a failed repair still prunes, logs the failure and fails the run", async () => {
    const now = 700_000_000_000;
    const serial = `MAINT${Date.now()}`;
    await seedReports(`${serial}-old`, now - RAW_RETENTION_MS - DAY, 2);
    await seedReports(`${serial}-mid`, now - DAY, 1);
    const lines: Record<string, unknown>[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(JSON.parse(String(line)) as Record<string, unknown>));
    try {
      await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "17 * * * *" }), env);
      const done = lines.find((l) => l.event === "analytics_maintained")!;
      expect(done).toMatchObject({ repairedHours: 1, failed: [] });
      expect((done.pruned as Record<string, number>).session_reports).toBeGreaterThanOrEqual(2);

      // A D1 that refuses the repair's query: the prune still runs, and the run fails naming the step.
      await seedReports(`${serial}-old2`, now - RAW_RETENTION_MS - DAY, 1);
      lines.length = 0;
      const broken = new Proxy(env.DB, {
        get(target, key) {
          if (key === "prepare") return (sql: string) => (sql.includes("WITH RECURSIVE") ? target.prepare("SELECT * FROM no_such_table") : target.prepare(sql));
          const value = Reflect.get(target, key) as unknown;
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      await expect(worker.scheduled(createScheduledController({ scheduledTime: now, cron: "17 * * * *" }), { ...env, DB: broken })).rejects.toThrow(/repair/);
      expect(lines.find((l) => l.event === "analytics_maintained")).toMatchObject({ repairedHours: 0, failed: ["repair"] });
      expect(lines.find((l) => l.event === "internal_error")).toMatchObject({ path: "cron:repair" });
      expect(await count("SELECT COUNT(*) AS n FROM session_reports WHERE serial = ?", `${serial}-old2`)).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });
});
