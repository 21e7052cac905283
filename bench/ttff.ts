// Time to first frame: from the Connect click to the first decoded frame
// (requestVideoFrameCallback) in headless Chromium against the local stack.
// Usage: npm run bench:ttff -- [--runs 25] [--source demo] [--auth account|code] [--relay] [--cold]
//   account (default): signed in as the demo owner, the camera page starts the session (the
//   product's main path); code: the serial + access code form (no account).
//   --relay: starts a local coturn and opens the camera with ?relay=1 (the viewer's
//   iceTransportPolicy "relay"), so every session is relayed.
//   --cold: restarts the agent before every run, so each figure is a first session after agent
//   start (the camera's cold start).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { launchChromium } from "../scripts/lib/chromium.ts";
import { REPO_ROOT, TMP_DIR } from "../scripts/lib/paths.ts";
import { startStack } from "../scripts/lib/stack.ts";
import { connect, readState, testId, waitForFirstFrame } from "../test/e2e/support/pwa.ts";
import { summarize } from "./stats.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "25" },
    source: { type: "string", default: "demo" },
    auth: { type: "string", default: "account" },
    relay: { type: "boolean", default: false },
    cold: { type: "boolean", default: false },
  },
});
const runs = Math.max(1, Math.min(500, Number(values.runs)));
const auth = values.auth === "code" ? "code" : "account";
const relay = values.relay === true;
const cold = values.cold === true;
if (relay && auth === "code") throw new Error("--relay needs --auth account (the camera page takes ?relay=1)");
const dir = path.join(TMP_DIR, `bench-ttff-${process.pid}`);
/** The agent's first timestamp of each event per session (wall clock, ms): same host, same clock. */
const agentMarks = new Map<string, Record<string, number>>();
/** Where each run's time went, both sides on one timeline (ms after the click). */
const VIEWER_MARKS = ["ticketAt", "socketOpenAt", "welcomeAt", "offerAt", "answerSentAt", "iceConnectedAt", "dtlsConnectedAt", "firstFrameAt"] as const;
const CAMERA_MARKS = ["camera:start_received", "camera:session_start", "camera:session_offer_sent", "camera:answer_received", "camera:first_remote_candidate", "camera:session_ice_nomination", "camera:dtls_connected", "camera:viewer_dtls_done", "camera:session_connected", "camera:first_rtp_sent"] as const;

console.log(`[bench] ttff: ${runs} runs, source ${values.source}, ${auth}${relay ? ", forced relay" : ""}${cold ? ", cold agent" : ""}; starting the local stack…`);
const stack = await startStack({
  port: 0,
  persistDir: path.join(dir, "state"),
  demoFile: path.join(dir, "demo-camera.json"),
  buildWeb: "always",
  agentSource: values.source,
  turn: relay,
  onProcessLine: (name, line) => {
    if (name !== "agent" || !line.startsWith("{")) return;
    try {
      const e = JSON.parse(line) as { t?: string; event?: string; sessionId?: string; mark?: string };
      if (!e.sessionId || !e.t || !e.event) return;
      const key = e.event === "session_mark" ? `camera:${e.mark}` : `camera:${e.event}`;
      const marks = agentMarks.get(e.sessionId) ?? {};
      marks[key] ??= Date.parse(e.t);
      agentMarks.set(e.sessionId, marks);
    } catch {
      /* not a log event */
    }
  },
});
if (relay && !stack.coturn) throw new Error("--relay needs coturn (Debian package coturn: /usr/bin/turnserver)");
const browser = await launchChromium();

interface Run {
  ttffMs: number;
  signalingMs: number | null;
  iceMs: number | null;
  dtlsMs: number | null;
  path: string | null;
  /** Viewer and camera milestones, ms after the click, in time order. */
  timeline: Record<string, number>;
}
const results: Run[] = [];
try {
  const page = await browser.context.newPage();
  await page.goto(stack.url);
  const owner = stack.camera.owner;
  if (auth === "account") {
    if (!owner) throw new Error("the stack has no demo account");
    await page.fill(testId("email-input"), owner.email);
    await page.fill(testId("password-input"), owner.password);
    await page.click(testId("signin-button"));
    await page.waitForSelector(testId("signout-button"), { timeout: 15_000 });
  }
  // One warm-up run (JIT, codec init) that is not counted.
  for (let i = -1; i < runs; i++) {
    if (cold && i >= 0) await stack.startAgent();
    if (auth === "account") {
      // As a person does it: "My cameras" is on screen, a tap on the camera starts the session.
      await page.goto(relay ? `${stack.url}/?relay=1` : stack.url);
      await page.click(testId(`camera-item-${stack.camera.serial}`));
    } else {
      await page.goto(`${stack.url}/watch`);
      await connect(page, stack.camera.serial, stack.camera.accessCode);
    }
    const state = await waitForFirstFrame(page);
    await page.waitForFunction(() => Boolean((window as unknown as { __porthole?: { path?: string } }).__porthole?.path), undefined, { timeout: 5000 }).catch(() => {});
    const withPath = await readState(page);
    const t = state.timings;
    const since = (x?: number) => (x && t.clickAt ? x - t.clickAt : null);
    // The page's performance.now() plus its timeOrigin is wall-clock time, like the agent's `t`.
    const origin = await page.evaluate(() => performance.timeOrigin);
    const timeline: Record<string, number> = {};
    const tv = t as unknown as Record<string, number | null | undefined>;
    for (const k of VIEWER_MARKS) {
      const v = tv[k];
      if (typeof v === "number" && t.clickAt) timeline[`viewer:${k.replace(/At$/, "")}`] = Math.round(v - t.clickAt);
    }
    const cam = withPath.sessionId ? agentMarks.get(withPath.sessionId) : undefined;
    for (const k of CAMERA_MARKS) {
      const v = cam?.[k];
      if (v !== undefined && t.clickAt) timeline[k] = Math.round(v - (origin + t.clickAt));
    }
    const ordered = Object.fromEntries(Object.entries(timeline).sort((x, y) => x[1] - y[1]));
    if (i >= 0) {
      results.push({
        ttffMs: (t.firstFrameAt ?? 0) - (t.clickAt ?? 0),
        signalingMs: since(t.welcomeAt),
        iceMs: since(t.iceConnectedAt),
        dtlsMs: since(t.dtlsConnectedAt),
        path: withPath.pathKind ?? null,
        timeline: ordered,
      });
      process.stdout.write(`  run ${i + 1}/${runs}: ${results.at(-1)!.ttffMs.toFixed(0)} ms (${withPath.path})\n`);
      process.stdout.write(`    ${Object.entries(ordered).map(([k, v]) => `${k} ${v}`).join(" · ")}\n`);
    }
    await page.click(testId("disconnect-button")).catch(() => {});
  }
} finally {
  await browser.close();
  await stack.stop();
}

const ttff = summarize(results.map((r) => r.ttffMs));
const phase = (key: "signalingMs" | "iceMs" | "dtlsMs") => summarize(results.map((r) => r[key]).filter((v): v is number => v !== null));
const paths = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.path ?? "unknown"]: (acc[r.path ?? "unknown"] ?? 0) + 1 }), {});
const report = {
  benchmark: "ttff",
  when: new Date().toISOString(),
  command: `npm run bench:ttff -- --runs ${runs} --source ${values.source} --auth ${auth}${relay ? " --relay" : ""}${cold ? " --cold" : ""}`,
  relay,
  cold,
  auth,
  machine: { node: process.version, platform: process.platform },
  runs,
  ttffMs: ttff,
  phasesFromClickMs: { signaling: phase("signalingMs"), iceConnected: phase("iceMs"), dtlsConnected: phase("dtlsMs") },
  paths,
  samples: results,
};
const f = (n: number) => n.toFixed(1);
console.log(`\nTTFF over ${ttff.n} runs: p50 ${f(ttff.p50)} ms, p95 ${f(ttff.p95)} ms (min ${f(ttff.min)}, max ${f(ttff.max)})`);
console.log(`  from click, p50: signaling ${f(report.phasesFromClickMs.signaling.p50)} ms, ICE ${f(report.phasesFromClickMs.iceConnected.p50)} ms, DTLS ${f(report.phasesFromClickMs.dtlsConnected.p50)} ms`);
const marks = [...new Set(results.flatMap((r) => Object.keys(r.timeline)))];
const markP50 = Object.fromEntries(marks.map((k) => [k, summarize(results.map((r) => r.timeline[k]).filter((v): v is number => v !== undefined)).p50]).sort((x, y) => (x[1] as number) - (y[1] as number)));
(report as Record<string, unknown>).timelineP50Ms = markP50;
console.log(`  timeline p50 (ms after click): ${Object.entries(markP50).map(([k, v]) => `${k} ${Math.round(v as number)}`).join(" · ")}`);
console.log(`  ICE path: ${Object.entries(paths).map(([k, v]) => `${k} ×${v}`).join(", ")}`);
const outDir = path.join(REPO_ROOT, "bench", "results");
mkdirSync(outDir, { recursive: true });
const kind = `${relay ? "-relay" : ""}${cold ? "-cold" : ""}`;
const file = path.join(outDir, `ttff${kind}-${report.when.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify(report, null, 2));
writeFileSync(path.join(outDir, `ttff${kind}-latest.json`), JSON.stringify(report, null, 2));
console.log(`  wrote ${path.relative(REPO_ROOT, file)}`);
