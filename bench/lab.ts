// Why: `npm run bench:lab` — where tap → first frame goes on NAT'd paths, per pair and phase. It
// builds the NAT lab once (lab/lab.ts: namespaces, workerd, coturn, the real agent, Chromium),
// and for each round trip runs the lab's own grid (lab/grid.ts runGrid, `views` repeats per pair)
// and splits every session into signaling, candidates, ICE checks, nomination, DTLS and first
// frame from both sides' timestamps (lab/session-timeline.ts): the page's marks and the agent's
// log lines. Network namespaces share the host's wall clock, so the agent's log `t` and the
// browser's performance.timeOrigin + now() are one timeline. A benchmark: it prints figures and
// writes bench/results/lab-<stamp>.json; it asserts nothing about time.
//   --runs <n>        views per pair and round trip (default 5, at least 5 for the report)
//   --rtt <list>      camera↔viewer round trips in ms (default 0,40,150; lab/link-conditions.ts)
//   --loss-pct <n>    loss on each home's WAN egress at every round trip (default 0)
//   --pairs <list>    a subset, as `npm run lab -- --only` (e.g. lan,fc:prc,sym:sym)
//   --no-test         skip the viewer's connection test per pair (faster; the PWA then knows
//                     nothing of its NAT, as on a phone that never ran it)
//   --auth account|code  how the viewer starts a session (default account: the camera's owner,
//                     signed in, taps it in "My cameras" — one signaling request, /ws/watch;
//                     code: the serial + access code form, a grant request and then the socket)
//   --keep            keep the lab's scratch dir (agent log) under .tmp/lab/
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { placementName, runGrid, selectGridPairs, type GridPair } from "../lab/grid.ts";
import { withLab } from "../lab/grid-run.ts";
import { recordPassed } from "../lab/grid-record.ts";
import { conditionsForRtt, describeConditions, type LinkConditions } from "../lab/link-conditions.ts";
import { labPreflightProblem } from "../lab/preflight.ts";
import { parseAgentLog, PHASES, sessionTimeline, type PhaseName, type SessionTimeline } from "../lab/session-timeline.ts";
import type { ViewResult } from "../lab/viewer.ts";
import { summarize, type Summary } from "./stats.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    rtt: { type: "string", default: "0,40,150" },
    "loss-pct": { type: "string", default: "0" },
    pairs: { type: "string" },
    "no-test": { type: "boolean", default: false },
    auth: { type: "string", default: "account" },
    keep: { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
const rtts = values.rtt.split(",").map((s) => Number(s.trim()));
const lossPct = Number(values["loss-pct"]);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error("--runs takes a whole number, 1–100");
if (rtts.some((r) => !Number.isFinite(r) || r < 0 || r > 2000)) throw new Error("--rtt takes a list of round trips in ms, 0–2000");
if (!Number.isFinite(lossPct) || lossPct < 0 || lossPct > 50) throw new Error("--loss-pct takes 0–50");
if (runs < 5) console.warn(`bench:lab: --runs ${runs} is below the 5 the report asks for; p95 of so few is the maximum`);
const problem = labPreflightProblem();
if (problem) {
  console.error(`bench:lab: ${problem}`);
  process.exit(2);
}
const pairs = selectGridPairs(values.pairs);
if (values.auth !== "account" && values.auth !== "code") throw new Error("--auth takes account or code");
const viewerAuth: "account" | "code" = values.auth;

interface Sample {
  path: string | null;
  ok: boolean;
  sessionId: string | null;
  ttffMs: number | null;
  timeline?: SessionTimeline;
  error?: string;
}
interface PairResult {
  rttMs: number;
  lossPct: number;
  pair: string;
  expectedPath: string;
  samples: Sample[];
  ttff: Summary;
  phases: Record<PhaseName, Summary>;
  signaling: Record<keyof SessionTimeline["signaling"], Summary>;
}

const pairName = (p: GridPair) => `${placementName(p.camera, p.cameraEgress)}→${placementName(p.viewer, p.viewerEgress)}`;
const known = (xs: Array<number | null | undefined>) => xs.filter((x): x is number => typeof x === "number");

function commit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

const results: PairResult[] = [];
const t0 = performance.now();
const PHASE_NOTE =
  "signaling: tap → offer at the page (toCamera: tap → session-start at the camera; cameraToOffer: → offer sent; offerTransit: → offer at the page; toTicket/ticketToSocket/socketToCamera: the page's grant, its socket open, the camera's session-start); candidates: → the camera's first check; iceChecks: → first valid pair; nomination: → nominated; dtls: → both sides connected; firstFrame: → first decoded frame";
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const outDir = path.join(REPO_ROOT, "bench", "results");
mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `lab-${stamp}.json`);
/** Written after each round trip too, so a run cut short keeps what it measured (`complete`). */
function writeReport(complete: boolean) {
  const report = {
    benchmark: "lab",
    date: new Date().toISOString(),
    commit: commit(),
    machine: { node: process.version, platform: process.platform, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", loadAverage: os.loadavg() },
    options: { runs, rttMs: rtts, lossPct, pairs: values.pairs ?? "all", connectionTest: !values["no-test"], auth: viewerAuth },
    phases: PHASE_NOTE,
    complete,
    durationMs: Math.round(performance.now() - t0),
    results,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

// The agent's routine lines stay in its log (read below); its warnings, errors and any
// non-JSON output (a crash at start) are printed with the lab's own lines.
const quiet = (l: string) => l.startsWith("[agent] {") && /"level":"(debug|info)"/.test(l);
await withLab({ keep: values.keep, log: (l) => (quiet(l) ? undefined : console.log(l)) }, async (lab) => {
  const agentLog = path.join(lab.dir, "agent.log");
  for (const rttMs of rtts) {
    // 0 ms and no loss: plain veths, as `npm run lab` without flags (the "0 ms added").
    const conditions: LinkConditions | null = rttMs === 0 && lossPct === 0 ? null : conditionsForRtt(rttMs, lossPct);
    await lab.topology.setLinkConditions(conditions);
    console.log(`\n[bench:lab] ${describeConditions(conditions ?? undefined)}: ${pairs.length} pairs × ${runs}`);
    const views: Array<{ pair: GridPair; view: ViewResult; ok: boolean; expected: string }> = [];
    await runGrid(lab, {
      pairs,
      views: runs,
      // Scaled to the round trip: set-up is a handful of round trips, each may be repeated.
      frameTimeoutMs: 20_000 + rttMs * 40,
      predict: !values["no-test"],
      viewerAuth,
      onView: (pair, view, record) => views.push({ pair, view, ok: recordPassed(record), expected: record.expected_path }),
      log: (l) => console.log(l),
    });
    // The agent logs as it goes; read once per round trip, after the views.
    const lines = parseAgentLog(existsSync(agentLog) ? readFileSync(agentLog, "utf8") : "");
    for (const pair of pairs) {
      const mine = views.filter((v) => v.pair === pair);
      const samples: Sample[] = mine.map(({ view, ok }) => ({
        path: view.path,
        ok,
        sessionId: view.sessionId ?? null,
        ttffMs: view.ttffMs === null ? null : Math.round(view.ttffMs),
        ...(view.sessionId && view.marks && view.timings ? { timeline: sessionTimeline(view.sessionId, view.marks, view.timings, lines) } : {}),
        ...(view.error ? { error: view.error } : {}),
      }));
      const good = samples.filter((s) => s.ok);
      results.push({
        rttMs,
        lossPct,
        pair: pairName(pair),
        expectedPath: mine[0]?.expected ?? "?",
        samples,
        ttff: summarize(known(good.map((s) => s.ttffMs))),
        phases: Object.fromEntries(PHASES.map((p) => [p, summarize(known(good.map((s) => s.timeline?.phases[p])))])) as PairResult["phases"],
        signaling: Object.fromEntries((["toCamera", "cameraToOffer", "offerTransit", "toTicket", "ticketToSocket", "socketToCamera", "toWelcome"] as const).map((k) => [k, summarize(known(good.map((s) => s.timeline?.signaling[k])))])) as PairResult["signaling"],
      });
    }
    writeReport(false);
  }
  await lab.topology.setLinkConditions(null);
});

const ms = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : "–");
const header = ["RTT", "pair", "path", "ok", "TTFF p50", "p95", ...PHASES.map((p) => `${p} p50`), "signaling: →camera/→offer/→page (→grant/→socket/→camera)"];
const rows = results.map((r) => {
  const paths = [...new Set(r.samples.map((s) => s.path ?? "none"))].join("+");
  return [
    `${r.rttMs}`,
    r.pair,
    paths === r.expectedPath ? paths : `${paths} (exp ${r.expectedPath})`,
    `${r.samples.filter((s) => s.ok).length}/${r.samples.length}`,
    ms(r.ttff.p50),
    ms(r.ttff.p95),
    ...PHASES.map((p) => ms(r.phases[p].p50)),
    `${[r.signaling.toCamera, r.signaling.cameraToOffer, r.signaling.offerTransit].map((s) => ms(s.p50)).join("/")} (${[r.signaling.toTicket, r.signaling.ticketToSocket, r.signaling.socketToCamera].map((s) => ms(s.p50)).join("/")})`,
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(`\nTap → first frame per pair (ms; phases are p50s of the passing views, from both sides' clocks):\n${fmt(header)}\n${rows.map(fmt).join("\n")}`);

const report = writeReport(true);
console.log(`\n${results.reduce((n, r) => n + r.samples.filter((s) => s.ok).length, 0)}/${results.reduce((n, r) => n + r.samples.length, 0)} views passed; ${path.relative(REPO_ROOT, file)} (${(report.durationMs / 1000).toFixed(0)} s)`);
process.exit(results.every((r) => r.samples.every((s) => s.ok)) ? 0 : 1);
