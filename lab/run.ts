// Why: `npm run lab` — builds the NAT lab, runs the grid, writes lab/results/grid.json, prints
// the table, and exits non-zero unless every pair connected over its expected path.
//   --only <cam>:<viewer>[,…]   run some pairs (e.g. sym:sym,fc:same-lan)
//   --keep                      keep the run's scratch dir (.tmp/lab/run-*) for its logs
//   --delay-ms <n>              netem delay on both routers' WAN links (kernel needs netem)
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { gridPairs, runGrid, type GridPair } from "./grid.ts";
import { recordPassed, type GridRecord } from "./grid-record.ts";
import { startLab, type Lab } from "./lab.ts";
import { NAT_SHORT } from "./nat-types.ts";
import { LabPreflightError, labPreflightProblem } from "./preflight.ts";
import { formatResultsTable, summarize } from "./results-table.ts";

export const GRID_RESULTS_FILE = path.join(REPO_ROOT, "lab", "results", "grid.json");

function selectPairs(only: string | undefined): GridPair[] {
  const all = gridPairs();
  if (!only) return all;
  const wanted = only.split(",").map((s) => s.trim());
  const picked = all.filter((p) => wanted.includes(`${NAT_SHORT[p.camera]}:${NAT_SHORT[p.viewer]}`) || (p.viewer === "same-lan" && wanted.includes("lan")));
  if (picked.length === 0) throw new Error(`--only ${only} matches no pair; use e.g. sym:prc,fc:fc,lan`);
  return picked;
}

export interface GridRun {
  records: GridRecord[];
  totalMs: number;
}

/** Builds the lab, runs the grid, writes grid.json; always tears the lab down. */
export async function runLabGrid(o: { pairs?: GridPair[]; delayMs?: number; keep?: boolean; log?: (l: string) => void } = {}): Promise<GridRun> {
  const log = o.log ?? console.log;
  const t0 = performance.now();
  let lab: Lab | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log(`[lab] ${signal}: tearing down`);
    void (lab?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    lab = await startLab({ log, keepScratch: o.keep ?? false });
    if (o.delayMs) lab.topology.setDelay(o.delayMs);
    const records = await runGrid(lab, { log, ...(o.pairs ? { pairs: o.pairs } : {}) });
    mkdirSync(path.dirname(GRID_RESULTS_FILE), { recursive: true });
    writeFileSync(GRID_RESULTS_FILE, `${JSON.stringify(records, null, 2)}\n`);
    return { records, totalMs: Math.round(performance.now() - t0) };
  } finally {
    await lab?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: "string" }, keep: { type: "boolean" }, "delay-ms": { type: "string" } } });
  const problem = labPreflightProblem();
  if (problem) {
    console.error(`npm run lab: ${problem}`);
    return 2;
  }
  const delayMs = values["delay-ms"] ? Number(values["delay-ms"]) : undefined;
  if (delayMs !== undefined && !(Number.isInteger(delayMs) && delayMs > 0 && delayMs <= 2000)) {
    console.error("npm run lab: --delay-ms takes a whole number of milliseconds, 1–2000");
    return 2;
  }
  const { records, totalMs } = await runLabGrid({ pairs: selectPairs(values.only), ...(delayMs ? { delayMs } : {}), keep: values.keep ?? false });
  console.log(`\n${formatResultsTable(records)}\n`);
  console.log(`${summarize(records)} (grid run ${(totalMs / 1000).toFixed(1)} s; ${path.relative(REPO_ROOT, GRID_RESULTS_FILE)})`);
  return records.every(recordPassed) ? 0 : 1;
}

if (import.meta.main) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof LabPreflightError ? `npm run lab: ${e.message}` : `npm run lab failed: ${(e as Error).stack ?? String(e)}`);
      process.exit(1);
    },
  );
}
