// Signaling cost at the edge: sessions brokered per second through one local workerd, the
// grant→welcome latency, and the CPU the workerd process tree spends per session.
// Usage: npm run bench:signaling -- [--sessions 200] [--concurrency 1,8,32] [--warmup 20]
//   Each level brokers --sessions viewer sessions the way the PWA does (POST /api/sessions grant
//   → viewer WebSocket → hello → welcome and the camera's offer → answer → bye), with
//   --concurrency of them in flight. The cameras are stand-ins: Node WebSocket clients holding
//   real vendor-signed device tokens that answer each session-start with a fixed offer (no media).
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
import { z } from "zod";
import { PROTOCOL_VERSION } from "../protocol/index.ts";
import { provisionDevice } from "../scripts/provision/provision.ts";
import { EdgeSession } from "../scripts/lib/edge-api.ts";
import { REPO_ROOT, TMP_DIR } from "../scripts/lib/paths.ts";
import { connectStandInCamera, FIXED_ANSWER, startEdgeOnly, type StandInCamera } from "../scripts/lib/stand-in-clients.ts";
import { percentile } from "./stats.ts";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "200" },
    concurrency: { type: "string", default: "1,8,32" },
    warmup: { type: "string", default: "20" },
    label: { type: "string", default: "" },
    /**
     * grant: POST /api/sessions then /ws/view?ticket (access codes, and signed-in viewers before
     * issue 12 item 5); watch: /ws/watch/:serial with the cookie, grant and socket in one request.
     */
    flow: { type: "string", default: "grant" },
    /** Write a V8 CPU profile of the worker (inspector) over the last level, and print its top functions. */
    profile: { type: "string" },
  },
});
const sessionsPerLevel = Math.max(1, Math.min(10_000, Number(values.sessions)));
const levels = values.concurrency.split(",").map((s) => Math.max(1, Math.min(256, Number(s.trim())))).filter(Number.isFinite);
const warmup = Math.max(0, Number(values.warmup));
const flow = values.flow === "watch" ? "watch" : "grant";
/** Each camera takes at most this many sessions at once: under its limit of 3 (not what we measure). */
const SESSIONS_PER_CAMERA = 2;
const cameraCount = Math.ceil(Math.max(...levels) / SESSIONS_PER_CAMERA);
const dir = path.join(TMP_DIR, `bench-signaling-${process.pid}`);
let stopping = false;
const CLK_TCK = 100; // USER_HZ on Linux; /proc/<pid>/stat times are in these ticks (proc(5)).

// ---- workerd CPU (utime + stime of the process tree, from /proc) ----

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm may contain spaces and parentheses: the fields after it start after the last ')'.
    const close = raw.lastIndexOf(")");
    const comm = raw.slice(raw.indexOf("(") + 1, close);
    const rest = raw.slice(close + 2).split(" ");
    // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { pid, comm, ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return undefined;
  }
}

function allStats(): ProcStat[] {
  return readdirSync("/proc").flatMap((name) => (/^\d+$/.test(name) ? [readStat(Number(name))].filter((s): s is ProcStat => s !== undefined) : []));
}

/** Every descendant of `root` (not root itself). */
function descendants(root: number, stats: ProcStat[]): ProcStat[] {
  const out: ProcStat[] = [];
  const frontier = [root];
  while (frontier.length) {
    const parent = frontier.pop()!;
    for (const s of stats) if (s.ppid === parent) (out.push(s), frontier.push(s.pid));
  }
  return out;
}

/** CPU ms of the workerd processes under wrangler (and their children), and of wrangler's own Node. */
function edgeCpuMs(wranglerPid: number): { workerd: number; wrangler: number } {
  const stats = allStats();
  const tree = descendants(wranglerPid, stats);
  const workerdRoots = tree.filter((s) => s.comm === "workerd");
  const workerd = new Map<number, ProcStat>();
  for (const r of workerdRoots) {
    workerd.set(r.pid, r);
    for (const d of descendants(r.pid, stats)) workerd.set(d.pid, d);
  }
  const others = tree.filter((s) => !workerd.has(s.pid));
  const self = stats.find((s) => s.pid === wranglerPid);
  const ms = (list: Iterable<ProcStat>) => ([...list].reduce((sum, s) => sum + s.ticks, 0) * 1000) / CLK_TCK;
  return { workerd: ms(workerd.values()), wrangler: ms([...(self ? [self] : []), ...others]) };
}

// ---- V8 profile through wrangler's inspector (DevTools protocol) ----

interface Profiler {
  stop(): Promise<unknown>;
}

async function startProfiler(wranglerPid: number): Promise<Profiler> {
  const args = readFileSync(`/proc/${wranglerPid}/cmdline`, "utf8").split("\0");
  const port = args[args.indexOf("--inspector-port") + 1];
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as Array<{ webSocketDebuggerUrl: string; title?: string }>;
  if (process.env.BENCH_VERBOSE) console.log("  [inspector] targets", JSON.stringify(targets));
  const target = targets[0];
  if (!target) throw new Error("no inspector target");
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: unknown };
    if (process.env.BENCH_VERBOSE) console.log("  [inspector]", String(data).slice(0, 300));
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.error ? { error: msg.error } : msg.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 200 });
  await call("Profiler.start");
  return {
    async stop() {
      const result = (await call("Profiler.stop")) as { profile: unknown };
      ws.close();
      return result.profile;
    },
  };
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
}

/** Self and total sample share per function (by name and place), largest first. */
function topFunctions(profile: CpuProfile, limit = 25): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || "(anonymous)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const sample of profile.samples) {
    self.set(key(sample), (self.get(key(sample)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const k = key(id);
      if (!seen.has(k)) (seen.add(k), total.set(k, (total.get(k) ?? 0) + 1));
    }
  }
  const n = profile.samples.length;
  const pct = (v: number) => `${((100 * v) / n).toFixed(1)}%`.padStart(6);
  return [
    ...[...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([k, v]) => `self ${pct(v)}  ${k}`),
    ...[...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit * 2).map(([k, v]) => `total ${pct(v)}  ${k}`),
  ];
}

// ---- stand-in cameras (scripts/lib/stand-in-clients.ts) ----

type Camera = StandInCamera;

function connectCamera(url: string, serial: string, token: string): Promise<Camera> {
  return connectStandInCamera(url, serial, token, (code, reason) => {
    if (!stopping) console.log(`  camera ${serial} closed: ${code} ${reason}`);
  });
}

// ---- one viewer session, as the PWA runs it ----

interface SessionResult {
  ok: boolean;
  grantMs: number;
  grantToWelcomeMs: number;
  totalMs: number;
  error?: string;
}

const GrantSchema = z.object({ sessionId: z.string(), ticket: z.string(), wsPath: z.string() });

/** /ws/watch: the upgrade carries the cookie and is the hello (`v` is VIEWER_VERSION_QUERY). */
function watchSession(url: string, cookie: string, serial: string): Promise<SessionResult> {
  const t0 = performance.now();
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/ws/watch/${encodeURIComponent(serial)}?v=${PROTOCOL_VERSION}`, { headers: { cookie, origin: url } });
  return runViewerSocket(ws, t0, t0, false);
}

async function viewerSession(url: string, cookie: string, serial: string): Promise<SessionResult> {
  if (flow === "watch") return watchSession(url, cookie, serial);
  const t0 = performance.now();
  const res = await fetch(`${url}/api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: url },
    body: JSON.stringify({ serial }),
  });
  const bodyText = await res.text();
  const tGrant = performance.now();
  if (res.status !== 201) return { ok: false, grantMs: tGrant - t0, grantToWelcomeMs: Number.NaN, totalMs: tGrant - t0, error: `grant ${res.status} ${bodyText.slice(0, 120)}` };
  const grant = GrantSchema.parse(JSON.parse(bodyText));
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}${grant.wsPath}?ticket=${encodeURIComponent(grant.ticket)}`);
  return runViewerSocket(ws, t0, tGrant, true);
}

/** hello (unless the upgrade was the hello) → welcome and the camera's offer → answer → bye. */
function runViewerSocket(ws: WebSocket, t0: number, tGrant: number, sendHello: boolean): Promise<SessionResult> {
  return new Promise<SessionResult>((resolve) => {
    let welcomeAt = Number.NaN;
    let gotOffer = false;
    let error: string | undefined;
    const timer = setTimeout(() => {
      error = "timeout";
      ws.terminate();
    }, 15_000);
    ws.on("open", () => sendHello && ws.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, client: "bench" })));
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { type: string; code?: string; message?: string };
      if (msg.type === "welcome") welcomeAt = performance.now();
      else if (msg.type === "offer" && !gotOffer) {
        gotOffer = true;
        ws.send(JSON.stringify({ type: "answer", sdp: FIXED_ANSWER }));
        ws.send(JSON.stringify({ type: "bye", reason: "bench" }));
      } else if (msg.type === "error") error = `${msg.code}: ${msg.message}`;
    });
    ws.on("error", (e) => (error ??= String(e)));
    ws.on("close", () => {
      clearTimeout(timer);
      const end = performance.now();
      const ok = !error && gotOffer && Number.isFinite(welcomeAt);
      resolve({ ok, grantMs: tGrant - t0, grantToWelcomeMs: welcomeAt - t0, totalMs: end - t0, ...(ok ? {} : { error: error ?? "closed before the offer" }) });
    });
  });
}

// ---- levels ----

interface LevelReport {
  concurrency: number;
  sessions: number;
  failed: number;
  wallMs: number;
  sessionsPerSecond: number;
  grantToWelcomeMs: { p50: number; p99: number; mean: number };
  grantMs: { p50: number; p99: number };
  sessionMs: { p50: number; p99: number };
  workerdCpuMsPerSession: number;
  wranglerCpuMsPerSession: number;
  errors: string[];
}

async function runLevel(url: string, cookie: string, cameras: Camera[], concurrency: number, count: number, wranglerPid: number): Promise<LevelReport> {
  const results: SessionResult[] = [];
  let next = 0;
  const cpuBefore = edgeCpuMs(wranglerPid);
  const t0 = performance.now();
  // Worker i always uses camera i % cameras: at most SESSIONS_PER_CAMERA in flight per camera.
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const serial = cameras[i % cameras.length]!.serial;
      while (next < count) {
        next++;
        results.push(await viewerSession(url, cookie, serial));
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const cpuAfter = edgeCpuMs(wranglerPid);
  const ok = results.filter((r) => r.ok);
  const sorted = (f: (r: SessionResult) => number) => ok.map(f).sort((a, b) => a - b);
  const gw = sorted((r) => r.grantToWelcomeMs);
  const g = sorted((r) => r.grantMs);
  const s = sorted((r) => r.totalMs);
  return {
    concurrency,
    sessions: results.length,
    failed: results.length - ok.length,
    wallMs,
    sessionsPerSecond: (ok.length * 1000) / wallMs,
    grantToWelcomeMs: { p50: percentile(gw, 50), p99: percentile(gw, 99), mean: gw.reduce((a, b) => a + b, 0) / Math.max(1, gw.length) },
    grantMs: { p50: percentile(g, 50), p99: percentile(g, 99) },
    sessionMs: { p50: percentile(s, 50), p99: percentile(s, 99) },
    workerdCpuMsPerSession: (cpuAfter.workerd - cpuBefore.workerd) / Math.max(1, results.length),
    wranglerCpuMsPerSession: (cpuAfter.wrangler - cpuBefore.wrangler) / Math.max(1, results.length),
    errors: [...new Set(results.flatMap((r) => (r.error ? [r.error] : [])))].slice(0, 5),
  };
}

console.log(`[bench] signaling (${flow}): ${sessionsPerLevel} sessions per level at concurrency ${levels.join(", ")}, ${cameraCount} stand-in cameras; starting the local edge…`);
const stack = await startEdgeOnly(dir);
const cameras: Camera[] = [];
const report: Record<string, unknown> = {};
try {
  const wranglerPid = stack.processes.find((p) => p.name === "wrangler")?.child.pid;
  if (!wranglerPid) throw new Error("no wrangler process");
  const owner = stack.camera.owner;
  if (!owner) throw new Error("the stack has no demo account");
  const session = new EdgeSession(stack.url);
  await session.signUpOrIn(owner.email, owner.password);
  // More cameras for the same owner, so the viewer limit (3 per camera) is never what we measure.
  const tokens: Array<{ serial: string; token: string }> = [{ serial: stack.camera.serial, token: stack.camera.token }];
  for (let i = 1; i < cameraCount; i++) {
    const serial = `BENCH-${String(i).padStart(4, "0")}`;
    const p = await provisionDevice({ edge: stack.url, vendor: "bench-vendor", serial, adminToken: stack.adminToken, keyDir: path.join(dir, "vendors") });
    await session.call("POST", "/api/cameras", z.unknown(), { serial, accessCode: p.accessCode, name: `Bench ${i}` });
    tokens.push({ serial, token: p.token });
  }
  for (const t of tokens) cameras.push(await connectCamera(stack.url, t.serial, t.token));
  // The session cookie, as the browser holds it (EdgeSession keeps it private).
  const login = await fetch(`${stack.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.url },
    body: JSON.stringify({ email: owner.email, password: owner.password }),
  });
  const cookie = (login.headers.getSetCookie()[0] ?? "").split(";", 1)[0] ?? "";
  if (!login.ok || !cookie) throw new Error(`login failed: ${login.status}`);

  // Context for the figures: what workerd burns idle, and per plain request (GET /api/health,
  // no D1, no Durable Object) — the floor of the local runtime and its proxy hop.
  const idle0 = edgeCpuMs(wranglerPid);
  await new Promise((r) => setTimeout(r, 3000));
  const idleMsPerSecond = (edgeCpuMs(wranglerPid).workerd - idle0.workerd) / 3;
  const FLOOR_REQUESTS = 200;
  const cpuPerRequest = async (pathname: string): Promise<number> => {
    const before = edgeCpuMs(wranglerPid);
    for (let i = 0; i < FLOOR_REQUESTS / 8; i++) await Promise.all(Array.from({ length: 8 }, () => fetch(`${stack.url}${pathname}`).then((r) => r.arrayBuffer())));
    return (edgeCpuMs(wranglerPid).workerd - before.workerd) / FLOOR_REQUESTS;
  };
  const healthCpuMs = await cpuPerRequest("/api/health");
  // Presence: one D1 read and one Durable Object RPC on top of a plain request.
  const presenceCpuMs = await cpuPerRequest(`/api/devices/${encodeURIComponent(stack.camera.serial)}`);
  console.log(
    `  workerd idle: ${idleMsPerSecond.toFixed(1)} ms CPU/s; GET /api/health: ${healthCpuMs.toFixed(2)} ms CPU/request; ` +
      `GET /api/devices/:serial (1 D1 read + 1 DO RPC): ${presenceCpuMs.toFixed(2)} ms CPU/request`,
  );
  report.floor = { workerdIdleCpuMsPerSecond: idleMsPerSecond, healthCpuMsPerRequest: healthCpuMs, presenceCpuMsPerRequest: presenceCpuMs };

  if (warmup > 0) {
    const w = await runLevel(stack.url, cookie, cameras, Math.min(4, Math.max(...levels)), warmup, wranglerPid);
    console.log(`  warm-up: ${w.sessions} sessions (${w.failed} failed) — not counted`);
  }
  const results: LevelReport[] = [];
  for (const [i, concurrency] of levels.entries()) {
    const profiler = values.profile && i === levels.length - 1 ? await startProfiler(wranglerPid) : undefined;
    const r = await runLevel(stack.url, cookie, cameras, concurrency, sessionsPerLevel, wranglerPid);
    if (profiler && values.profile) {
      const profile = (await profiler.stop()) as CpuProfile;
      writeFileSync(values.profile, JSON.stringify(profile));
      console.log(`  profile (concurrency ${concurrency}) written to ${values.profile}:\n    ${topFunctions(profile).join("\n    ")}`);
    }
    results.push(r);
    const f = (n: number) => n.toFixed(1);
    console.log(
      `  concurrency ${String(concurrency).padStart(2)}: ${f(r.sessionsPerSecond)} sessions/s, grant→welcome p50 ${f(r.grantToWelcomeMs.p50)} ms p99 ${f(r.grantToWelcomeMs.p99)} ms, ` +
        `workerd CPU ${f(r.workerdCpuMsPerSession)} ms/session (wrangler proxy ${f(r.wranglerCpuMsPerSession)} ms)` +
        (r.failed ? `, ${r.failed} failed: ${r.errors.join(" | ")}` : ""),
    );
  }
  Object.assign(report, {
    benchmark: "signaling",
    when: new Date().toISOString(),
    label: values.label || undefined,
    command: `npm run bench:signaling -- --sessions ${sessionsPerLevel} --concurrency ${levels.join(",")} --warmup ${warmup} --flow ${flow}`,
    flow,
    repo: REPO_ROOT,
    machine: { node: process.version, platform: process.platform, cpus: (await import("node:os")).cpus().length },
    cameras: cameras.length,
    offersSent: cameras.reduce((n, c) => n + c.offersSent, 0),
    levels: results,
  });
} finally {
  stopping = true;
  for (const c of cameras) c.socket.close();
  await stack.stop();
}

const outDir = path.join(REPO_ROOT, "bench", "results");
mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `signaling-${String(report.when).replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify(report, null, 2));
writeFileSync(path.join(outDir, "signaling-latest.json"), JSON.stringify(report, null, 2));
console.log(`  wrote ${path.relative(REPO_ROOT, file)}`);
