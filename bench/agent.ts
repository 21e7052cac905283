// Why: issue 12 item 9 — what one camera pays per viewer. For each sender (the agent's werift
// media path, and a native libdatachannel reference fed the same RTP), each quality (SD 0.6 Mbps,
// HD 2 Mbps) and 1, 3 and 10 viewers: the sender's CPU (% of one core, idle source subtracted,
// per viewer) and RSS, in a fresh sender process per cell, with node-datachannel viewers in
// another process on 127.0.0.1. It is a benchmark: it prints figures and writes JSON to
// bench/results/agent-<stamp>.json; it asserts nothing.
//
//   npm run bench:agent -- [--viewers 1,3,10] [--quality sd,hd] [--senders werift,native]
//                          [--seconds 10] [--label text] [--cpu-prof]
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { FromSender, ToSender } from "./agent-sender.ts";
import type { FromViewers, ToViewers } from "./agent-viewers.ts";
import { PROFILES } from "./agent-media.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, "..");
const { values: args } = parseArgs({
  options: {
    viewers: { type: "string", default: "1,3,10" },
    quality: { type: "string", default: "sd,hd" },
    senders: { type: "string", default: "werift,native" },
    seconds: { type: "string", default: "10" },
    label: { type: "string", default: "" },
    "cpu-prof": { type: "boolean", default: false },
    /** Extra Node flags for the werift sender, e.g. "--max-semi-space-size=2" (what RSS would a flag buy). */
    "node-flags": { type: "string", default: "" },
  },
});
const VIEWER_COUNTS = args.viewers.split(",").map(Number);
const QUALITIES = args.quality.split(",") as ("sd" | "hd")[];
const SENDERS = args.senders.split(",") as ("werift" | "native")[];
const MEASURE_MS = Number(args.seconds) * 1000;
const SETTLE_MS = 2000;
const IDLE_MS = 3000;
const WARM_MS = 3000;
const CONNECT_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function nativeAvailable(): string | null {
  try {
    // A plain devDependency (prebuilt binaries in registry platform packages); say so if absent.
    import.meta.resolve("node-datachannel");
    return null;
  } catch (e) {
    return `node-datachannel is not installed (${(e as Error).message}); run npm install`;
  }
}

/** A child with a typed request/response helper over its IPC channel. */
function child<In, Out extends { t: string }>(file: string, argv: string[], execArgv: string[] = []) {
  const proc: ChildProcess = fork(path.join(HERE, file), argv, { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv });
  const listeners = new Set<(m: Out) => void>();
  proc.on("message", (m) => {
    const msg = m as Out;
    if (msg.t === "error") process.stderr.write(`  [${file}] ${(msg as unknown as { message: string }).message}\n`);
    for (const l of [...listeners]) l(msg);
  });
  const next = <T extends Out["t"]>(t: T, timeoutMs = 10_000) =>
    new Promise<Extract<Out, { t: T }>>((resolve, reject) => {
      const timer = setTimeout(() => (listeners.delete(l), reject(new Error(`${file}: no ${t} within ${timeoutMs} ms`))), timeoutMs);
      const l = (m: Out) => {
        if (m.t !== t) return;
        clearTimeout(timer);
        listeners.delete(l);
        resolve(m as Extract<Out, { t: T }>);
      };
      listeners.add(l);
    });
  let exited: string | undefined;
  proc.on("exit", (code, signal) => (exited = `${file} exited (${signal ?? code})`));
  return {
    proc,
    /** Why the child is gone, if it is. */
    get exited() {
      return exited;
    },
    // A child that died must fail its cell, not throw in a relay callback.
    send: (m: In) => void (proc.connected && proc.send(m as never)),
    on: (l: (m: Out) => void) => listeners.add(l),
    next,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.send({ t: "stop" } as never);
      await Promise.race([exited, sleep(3000)]);
      if (proc.exitCode === null) proc.kill("SIGKILL");
    },
  };
}

interface Cell {
  sender: "werift" | "native";
  quality: "sd" | "hd";
  viewers: number;
  /** Sender CPU, % of one core, with the source running and no viewer. */
  idleCpuPct: number;
  /** Sender CPU, % of one core, with `viewers` viewers. */
  cpuPct: number;
  /** (cpuPct − idleCpuPct) / viewers. */
  cpuPctPerViewer: number;
  rssMB: number;
  heapUsedMB: number;
  /** Mean RTP rate each viewer received during the measurement (SRTP-decrypted, headers included). */
  rxMbpsPerViewer: number;
  /** The least any viewer received, same unit: a starved viewer shows here. */
  rxMbpsMin: number;
  connectMs: number;
}

async function measure(sender: "werift" | "native", quality: "sd" | "hd", n: number): Promise<Cell> {
  const execArgv = sender !== "werift" ? [] : [
    ...(args["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${path.join(REPO_ROOT, ".tmp", "bench-agent-prof")}`] : []),
    ...args["node-flags"].split(" ").filter(Boolean),
  ];
  const s = child<ToSender, FromSender>("agent-sender.ts", [sender, quality], execArgv);
  const w = child<ToViewers, FromViewers>("agent-viewers.ts", []);
  try {
    await Promise.all([s.next("ready", 20_000), w.next("ready", 20_000)]);
    s.on((m) => {
      if (m.t === "offer") w.send({ t: "offer", v: m.v, sdp: m.sdp });
      if (m.t === "candidate") w.send({ t: "candidate", v: m.v, candidate: m.candidate });
    });
    w.on((m) => {
      if (m.t === "answer") s.send({ t: "answer", v: m.v, sdp: m.sdp });
      if (m.t === "candidate") s.send({ t: "candidate", v: m.v, candidate: m.candidate });
    });
    const usage = async () => (s.send({ t: "usage" }), s.next("usage"));
    const stats = async () => (w.send({ t: "stats" }), w.next("stats"));

    // Let start-up work (module JIT, the first GCs) pass before the idle baseline.
    await sleep(SETTLE_MS);
    const i0 = await usage();
    const it0 = performance.now();
    await sleep(IDLE_MS);
    const i1 = await usage();
    const idleCpuPct = ((i1.cpuUs - i0.cpuUs) / 1000 / (performance.now() - it0)) * 100;

    const c0 = performance.now();
    const connected = new Set<number>();
    const allConnected = new Promise<void>((resolve) =>
      s.on((m) => {
        if (m.t === "connected") connected.add(m.v);
        if (connected.size === n) resolve();
      }),
    );
    for (let v = 0; v < n; v++) s.send({ t: "viewer", v });
    await Promise.race([allConnected, sleep(CONNECT_TIMEOUT_MS).then(() => Promise.reject(new Error(`${connected.size}/${n} viewers connected within ${CONNECT_TIMEOUT_MS} ms`)))]);
    const connectMs = performance.now() - c0;
    await sleep(WARM_MS);

    const [u0, r0] = await Promise.all([usage(), stats()]);
    const t0 = performance.now();
    await sleep(MEASURE_MS);
    const [u1, r1] = await Promise.all([usage(), stats()]);
    const ms = performance.now() - t0;
    if (s.exited || w.exited) throw new Error(s.exited ?? w.exited);
    const cpuPct = ((u1.cpuUs - u0.cpuUs) / 1000 / ms) * 100;
    const rx = r1.viewers.map((b) => ((b.rtpBytes - (r0.viewers.find((a) => a.v === b.v)?.rtpBytes ?? 0)) * 8) / 1000 / ms);
    while (rx.length < n) rx.push(0);
    return {
      sender,
      quality,
      viewers: n,
      idleCpuPct,
      cpuPct,
      cpuPctPerViewer: (cpuPct - idleCpuPct) / n,
      rssMB: u1.rss / 2 ** 20,
      heapUsedMB: u1.heapUsed / 2 ** 20,
      rxMbpsPerViewer: rx.reduce((a, b) => a + b, 0) / n,
      rxMbpsMin: Math.min(...rx),
      connectMs,
    };
  } finally {
    await Promise.all([s.stop(), w.stop()]);
  }
}

const missing = nativeAvailable();
const senders = SENDERS.filter((x) => x !== "native" || !missing);
if (missing && SENDERS.includes("native")) process.stdout.write(`bench:agent: NO NATIVE REFERENCE — ${missing}\n`);
process.stdout.write(
  `bench:agent: ${senders.join(" vs ")}; ${QUALITIES.map((q) => `${q} ${PROFILES[q].kbps} kbps`).join(", ")}; viewers ${VIEWER_COUNTS.join(", ")}; ${MEASURE_MS / 1000} s per cell${args.label ? `; ${args.label}` : ""}\n`,
);
const cells: Cell[] = [];
const fmt = (x: number, d = 2) => x.toFixed(d).padStart(7);
process.stdout.write("sender   q   viewers  cpu%  per-viewer%  idle%   rssMB  rx Mbps/viewer (min)  connect ms\n");
for (const quality of QUALITIES) {
  for (const n of VIEWER_COUNTS) {
    for (const sender of senders) {
      try {
        const c = await measure(sender, quality, n);
        cells.push(c);
        process.stdout.write(
          `${sender.padEnd(8)} ${quality}  ${String(n).padStart(4)}  ${fmt(c.cpuPct)} ${fmt(c.cpuPctPerViewer, 3)}   ${fmt(c.idleCpuPct)} ${fmt(c.rssMB, 1)}  ${fmt(c.rxMbpsPerViewer)} (${c.rxMbpsMin.toFixed(2)})  ${fmt(c.connectMs, 0)}\n`,
        );
      } catch (e) {
        process.stdout.write(`${sender.padEnd(8)} ${quality}  ${String(n).padStart(4)}  FAILED: ${(e as Error).message}\n`);
      }
    }
  }
}

const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const outDir = path.join(REPO_ROOT, "bench", "results");
mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `agent-${stamp}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      bench: "agent",
      at: new Date().toISOString(),
      label: args.label || undefined,
      weriftNodeFlags: args["node-flags"] || undefined,
      machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
      nativeReference: missing ? { available: false, reason: missing } : { available: true, package: "node-datachannel" },
      measureMs: MEASURE_MS,
      profiles: PROFILES,
      cells,
    },
    null,
    2,
  ),
);
process.stdout.write(`wrote ${path.relative(REPO_ROOT, file)}\n`);
