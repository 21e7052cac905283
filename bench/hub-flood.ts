// One camera's hub under a flooding viewer (issue 14): how fast one DeviceHub relays candidates
// at the rate a session needs, and what a second viewer of the same camera waits for its session
// while another viewer floods the hub with valid candidate frames.
// Usage: npm run bench:hub-flood -- [--frames 10000] [--rounds 5] [--baseline 10] [--label x]
//   relay:    three viewers (the seed limit) each send 50 candidates at once; frames per second
//             from the first send to the camera's last arrival.
//   baseline: --baseline probe sessions alone: hello→welcome and hello→offer (grant excluded).
//   flood:    per round, a viewer says hello, then sends --frames candidate frames as fast as its
//             socket takes them; a probe session starts right after. Reports the probe's times,
//             the candidates the camera got for the flooder's session and how the flooder was closed.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
import { REPO_ROOT, TMP_DIR } from "../scripts/lib/paths.ts";
import { connectStandInCamera, grantViewerSocket, startEdgeOnly, helloToOffer, signInCookie, standInCandidate, type StandInCamera } from "../scripts/lib/stand-in-clients.ts";
import { percentile } from "./stats.ts";

const { values } = parseArgs({
  options: {
    frames: { type: "string", default: "10000" },
    rounds: { type: "string", default: "5" },
    baseline: { type: "string", default: "10" },
    label: { type: "string", default: "" },
  },
});
const frames = Math.max(1, Math.min(100_000, Number(values.frames)));
const rounds = Math.max(1, Math.min(50, Number(values.rounds)));
const baselineCount = Math.max(1, Math.min(200, Number(values.baseline)));
const dir = path.join(TMP_DIR, `bench-hub-flood-${process.pid}`);
const RELAY_VIEWERS = 3;
/** Within a viewer's burst (FRAME_BUDGETS.viewer: 60, the hello spends one). */
const RELAY_CANDIDATES = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Total candidates the camera has received, over all sessions. */
const received = (camera: StandInCamera) => [...camera.candidatesBySession.values()].reduce((a, b) => a + b, 0);

/** Waits until the camera received nothing for `quietMs` (bounded by `maxMs`); returns when the last one came. */
async function settle(camera: StandInCamera, quietMs: number, maxMs: number): Promise<void> {
  const end = performance.now() + maxMs;
  let last = received(camera);
  let lastChange = performance.now();
  while (performance.now() < end) {
    await sleep(25);
    const now = received(camera);
    if (now !== last) (last = now), (lastChange = performance.now());
    else if (performance.now() - lastChange >= quietMs) return;
  }
}

function closeViewer(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => (ws.terminate(), resolve()), 3000);
    ws.once("close", () => (clearTimeout(timer), resolve()));
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "bye", reason: "bench" }));
    ws.close();
  });
}

/** Waits until the socket closes (or `maxMs`); its close code and reason, or null if still open. */
function closedWith(ws: WebSocket, maxMs: number): Promise<{ code: number; reason: string } | null> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), maxMs);
    ws.once("close", (code, reason) => (clearTimeout(timer), resolve({ code, reason: String(reason) })));
  });
}

async function probe(url: string, cookie: string, serial: string): Promise<{ welcomeMs: number; offerMs: number; totalMs: number }> {
  const t0 = performance.now();
  const { socketUrl } = await grantViewerSocket(url, cookie, serial);
  const { ws, timings } = await helloToOffer(socketUrl, 60_000);
  const totalMs = performance.now() - t0;
  await closeViewer(ws);
  return { ...timings, totalMs };
}

console.log(`[bench] hub flood: ${frames} frames per round, ${rounds} rounds, ${baselineCount} baseline sessions; starting the local edge…`);
const stack = await startEdgeOnly(dir, /exception|uncaught|error|reset|overload/i);
let camera: StandInCamera | undefined;
const report: Record<string, unknown> = {};
try {
  const owner = stack.camera.owner;
  if (!owner) throw new Error("the stack has no demo account");
  const cookie = await signInCookie(stack.url, owner.email, owner.password);
  const serial = stack.camera.serial;
  camera = await connectStandInCamera(stack.url, serial, stack.camera.token, (code, reason) => console.log(`  camera closed: ${code} ${reason}`));
  for (let i = 0; i < 3; i++) await probe(stack.url, cookie, serial); // warm-up

  // ---- relay rate at a session's own pace ----
  const viewers = await Promise.all(Array.from({ length: RELAY_VIEWERS }, async () => helloToOffer((await grantViewerSocket(stack.url, cookie, serial)).socketUrl)));
  const before = received(camera);
  const t0 = performance.now();
  let lastArrival = t0;
  const target = before + RELAY_VIEWERS * RELAY_CANDIDATES;
  const arrived = new Promise<void>((resolve) => {
    const onMessage = () => {
      lastArrival = performance.now();
      if (received(camera!) >= target) (camera!.socket.off("message", onMessage), resolve());
    };
    camera!.socket.on("message", onMessage);
  });
  for (const { ws } of viewers) for (let i = 0; i < RELAY_CANDIDATES; i++) ws.send(JSON.stringify({ type: "candidate", candidate: standInCandidate(i) }));
  await Promise.race([arrived, sleep(10_000)]);
  const relayed = received(camera) - before;
  const relayPerSecond = (relayed * 1000) / Math.max(1, lastArrival - t0);
  for (const { ws } of viewers) await closeViewer(ws);
  console.log(`  relay: ${relayed} candidates from ${RELAY_VIEWERS} viewers in ${(lastArrival - t0).toFixed(1)} ms → ${relayPerSecond.toFixed(0)} frames/s`);
  await sleep(300);

  // ---- baseline ----
  const base: Array<{ welcomeMs: number; offerMs: number; totalMs: number }> = [];
  for (let i = 0; i < baselineCount; i++) base.push(await probe(stack.url, cookie, serial));
  const stats = (list: number[]) => {
    const s = [...list].sort((a, b) => a - b);
    return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN };
  };
  const baseOffer = stats(base.map((b) => b.offerMs));
  const baseWelcome = stats(base.map((b) => b.welcomeMs));
  const baseTotal = stats(base.map((b) => b.totalMs));
  console.log(`  baseline: hello→welcome p50 ${baseWelcome.p50.toFixed(1)} ms, hello→offer p50 ${baseOffer.p50.toFixed(1)} p99 ${baseOffer.p99.toFixed(1)} ms, grant→offer p50 ${baseTotal.p50.toFixed(1)} ms`);

  // ---- flood rounds ----
  const floods: Array<Record<string, unknown>> = [];
  for (let r = 0; r < rounds; r++) {
    const flooder = await grantViewerSocket(stack.url, cookie, serial);
    const { ws } = await helloToOffer(flooder.socketUrl);
    const closing = closedWith(ws, 30_000);
    const sentAt = performance.now();
    let sent = 0;
    for (let i = 0; i < frames && ws.readyState === WebSocket.OPEN; i++, sent++) ws.send(JSON.stringify({ type: "candidate", candidate: standInCandidate(i) }));
    const loopMs = performance.now() - sentAt;
    const p = await probe(stack.url, cookie, serial);
    const close = await Promise.race([closing, sleep(2000).then(() => null)]);
    await settle(camera, 500, 30_000);
    const toCamera = camera.candidatesBySession.get(flooder.sessionId) ?? 0;
    await closeViewer(ws);
    floods.push({ sent, loopMs, probe: p, flooderClosed: close, candidatesToCamera: toCamera });
    console.log(
      `  round ${r + 1}: sent ${sent} frames in ${loopMs.toFixed(0)} ms; probe hello→welcome ${p.welcomeMs.toFixed(1)} ms, hello→offer ${p.offerMs.toFixed(1)} ms, grant→offer ${p.totalMs.toFixed(1)} ms; ` +
        `camera got ${toCamera} of the flooder's candidates; flooder ${close ? `closed ${close.code} ${close.reason}` : "still open"}`,
    );
    await sleep(300);
  }
  const floodOffer = stats(floods.map((f) => (f.probe as { offerMs: number }).offerMs));
  const floodTotal = stats(floods.map((f) => (f.probe as { totalMs: number }).totalMs));
  console.log(
    `  under flood: hello→offer p50 ${floodOffer.p50.toFixed(1)} p99 ${floodOffer.p99.toFixed(1)} ms (baseline p50 ${baseOffer.p50.toFixed(1)}), grant→offer p50 ${floodTotal.p50.toFixed(1)} p99 ${floodTotal.p99.toFixed(1)} ms (baseline p50 ${baseTotal.p50.toFixed(1)})`,
  );
  Object.assign(report, {
    benchmark: "hub-flood",
    when: new Date().toISOString(),
    label: values.label || undefined,
    command: `npm run bench:hub-flood -- --frames ${frames} --rounds ${rounds} --baseline ${baselineCount}`,
    machine: { node: process.version, platform: process.platform, cpus: (await import("node:os")).cpus().length },
    relay: { viewers: RELAY_VIEWERS, candidatesEach: RELAY_CANDIDATES, relayed, framesPerSecond: relayPerSecond },
    baseline: { helloToWelcomeMs: baseWelcome, helloToOfferMs: baseOffer, grantToOfferMs: baseTotal },
    flood: { helloToOfferMs: floodOffer, grantToOfferMs: floodTotal, rounds: floods },
  });
} finally {
  camera?.socket.close();
  await stack.stop();
}

const outDir = path.join(REPO_ROOT, "bench", "results");
mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `hub-flood-${String(report.when).replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify(report, null, 2));
writeFileSync(path.join(outDir, "hub-flood-latest.json"), JSON.stringify(report, null, 2));
console.log(`  wrote ${path.relative(REPO_ROOT, file)}`);
