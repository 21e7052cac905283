// Why: `node bench/loss.ts` — what random loss and a long round trip cost one viewer, without the
// NAT lab: the agent's real PeerSession (demo clip, werift with the agent's shims) and Debian's
// Chromium on 127.0.0.1, every datagram through a relay that adds the delay and loses packets at
// random (device-agent/test/drop-relay.ts; seeded, so two builds see the same losses). Per run:
// the page's connect and data-channel-open times, the first decoded frame, and over the watch
// window Chromium's own freeze count and frozen time (inbound-rtp freezeCount,
// totalFreezesDuration), NACKs and PLIs. A benchmark: it prints figures and writes
// bench/results/loss-<stamp>.json; it asserts nothing about time.
//   --runs <n>       sessions (default 5)
//   --rtt-ms <n>     round trip added by the relay (default 150)
//   --loss-pct <n>   chance each datagram, either way, is lost (default 2)
//   --watch-s <n>    seconds of video per session for the freeze figures (default 30)
//   --seed <n>       first loss seed (run i uses seed + i; default 1)
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDemoSource } from "../device-agent/src/media/demo-source.ts";
import { createMediaHub } from "../device-agent/src/media/media-hub.ts";
import { watchThroughRelay } from "../test/e2e/support/chromium-through-relay.ts";
import { launchChromium } from "../scripts/lib/chromium.ts";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { summarize } from "./stats.ts";

const { values } = parseArgs({ options: { runs: { type: "string" }, "rtt-ms": { type: "string" }, "loss-pct": { type: "string" }, "watch-s": { type: "string" }, seed: { type: "string" } } });
const runs = Number(values.runs ?? 5);
const rttMs = Number(values["rtt-ms"] ?? 150);
const lossPct = Number(values["loss-pct"] ?? 2);
const watchS = Number(values["watch-s"] ?? 30);
const seed0 = Number(values.seed ?? 1);

/** A small LCG: the same seed loses the same datagrams in the same order. */
function lossDice(seed: number): () => boolean {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 0x1_0000_0000) * 100 < lossPct;
  };
}

interface Run {
  connectMs: number | null;
  dataChannelMs: number | null;
  firstFrameMs: number | null;
  freezes: number;
  frozenS: number;
  framesDecoded: number;
  nacks: number;
  plis: number;
  packetsLost: number;
  datagrams: number;
  dropped: number;
}

const source = createDemoSource({ audio: false });
const hub = createMediaHub(source);
await source.start();
const browser = await launchChromium();
const page = await browser.context.newPage();
await page.goto("about:blank");
const results: Run[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const lose = lossDice(seed0 + i);
    const viewing = await watchThroughRelay({ page, hub, sessionId: `bench-loss-${i}`, delayMs: rttMs / 2, drop: () => lose() });
    const relay = viewing.relay;
    const start = await viewing.firstFrame(15_000);
    await new Promise((r) => setTimeout(r, watchS * 1000));
    const end = await viewing.inbound();
    const d = (k: string) => (end.video[k] ?? 0) - (start.video[k] ?? 0);
    const run: Run = {
      connectMs: end.connectMs === null ? null : Math.round(end.connectMs),
      dataChannelMs: end.dataChannelMs === null ? null : Math.round(end.dataChannelMs),
      firstFrameMs: end.firstFrameMs === null ? null : Math.round(end.firstFrameMs),
      freezes: d("freezeCount"),
      frozenS: Number(d("totalFreezesDuration").toFixed(2)),
      framesDecoded: d("framesDecoded"),
      nacks: end.video.nackCount ?? 0,
      plis: end.video.pliCount ?? 0,
      packetsLost: end.video.packetsLost ?? 0,
      datagrams: relay.log.length,
      dropped: relay.log.filter((x) => x.dropped).length,
    };
    results.push(run);
    process.stdout.write(`  run ${i + 1}/${runs}: connect ${run.connectMs} ms, data channel ${run.dataChannelMs} ms, first frame ${run.firstFrameMs} ms; ${watchS} s: ${run.freezes} freezes, ${run.frozenS} s frozen, ${run.nacks} NACKs, ${run.plis} PLIs (${run.dropped}/${run.datagrams} datagrams lost)\n`);
    await viewing.close();
  }
} finally {
  await browser.close();
  await source.stop();
}

const of = (k: keyof Run) => summarize(results.map((r) => r[k]).filter((v): v is number => v !== null));
const report = {
  benchmark: "loss",
  when: new Date().toISOString(),
  command: `node bench/loss.ts --runs ${runs} --rtt-ms ${rttMs} --loss-pct ${lossPct} --watch-s ${watchS} --seed ${seed0}`,
  machine: { node: process.version, platform: process.platform },
  connectMs: of("connectMs"),
  dataChannelMs: of("dataChannelMs"),
  firstFrameMs: of("firstFrameMs"),
  frozenS: of("frozenS"),
  freezes: of("freezes"),
  failedToConnect: results.filter((r) => r.connectMs === null).length,
  samples: results,
};
const f = (n: number) => n.toFixed(0);
console.log(`\n${runs} sessions, ${rttMs} ms RTT, ${lossPct} % loss each way:`);
console.log(`  connect p50 ${f(report.connectMs.p50)} / p95 ${f(report.connectMs.p95)} ms · data channel p50 ${f(report.dataChannelMs.p50)} / p95 ${f(report.dataChannelMs.p95)} ms · first frame p50 ${f(report.firstFrameMs.p50)} / p95 ${f(report.firstFrameMs.p95)} ms`);
console.log(`  in ${watchS} s of video: frozen p50 ${report.frozenS.p50.toFixed(2)} s / max ${report.frozenS.max.toFixed(2)} s, freezes p50 ${report.freezes.p50} / max ${report.freezes.max}`);
const outDir = path.join(REPO_ROOT, "bench", "results");
mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `loss-${report.when.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify(report, null, 2));
writeFileSync(path.join(outDir, "loss-latest.json"), JSON.stringify(report, null, 2));
console.log(`  ${path.relative(REPO_ROOT, file)}`);
process.exit(0);
