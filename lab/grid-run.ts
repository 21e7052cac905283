// Why: one grid run end to end — build the lab, run the pairs, write lab/results/grid.json,
// always tear down (also on Ctrl-C). Shared by `npm run lab` and the lab's vitest test.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { runGrid, type GridPair } from "./grid.ts";
import type { GridRecord } from "./grid-record.ts";
import { startLab, type Lab } from "./lab.ts";
import { conditionsRecord, describeConditions, type LinkConditions } from "./link-conditions.ts";
import { runNatDetection, type NatDetectionRecord } from "./nat-detection.ts";

export const GRID_RESULTS_FILE = path.join(REPO_ROOT, "lab", "results", "grid.json");
/** The camera NAT detection per router mode (issue 11), next to grid.json. */
export const NAT_DETECTION_RESULTS_FILE = path.join(REPO_ROOT, "lab", "results", "camera-nat.json");

export interface GridRun {
  records: GridRecord[];
  /** The camera's detected NAT type behind each router mode, when asked for. */
  natDetection?: NatDetectionRecord[];
  totalMs: number;
}

/**
 * lab/results/grid.json: the grid's records, one per pair (issue 4's output contract). A run with
 * added delay or loss stamps each record with them (`link`): the file stays a list of records.
 */
export function writeGridResults(records: GridRecord[], conditions?: LinkConditions): void {
  mkdirSync(path.dirname(GRID_RESULTS_FILE), { recursive: true });
  const stamped = conditions ? records.map((r) => ({ ...r, link: conditionsRecord(conditions) })) : records;
  writeFileSync(GRID_RESULTS_FILE, `${JSON.stringify(stamped, null, 2)}\n`);
}

/**
 * Builds the lab, hands it to `use`, and always tears it down — also on Ctrl-C or SIGTERM, in a
 * handler of our own (Playwright's would exit first and leave namespaces behind).
 */
export async function withLab<T>(o: { keep?: boolean; log?: (l: string) => void }, use: (lab: Lab) => Promise<T>): Promise<T> {
  const log = o.log ?? console.log;
  let lab: Lab | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log(`[lab] ${signal}: tearing down`);
    void (lab?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    lab = await startLab({ log, keepScratch: o.keep ?? false });
    return await use(lab);
  } finally {
    await lab?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** Builds the lab, runs the grid, writes grid.json; always tears the lab down. */
export async function runLabGrid(
  o: { pairs?: GridPair[]; conditions?: LinkConditions; lateCandidatesMs?: number; settleMs?: number; screenshotDir?: string; keep?: boolean; natDetection?: boolean; log?: (l: string) => void } = {},
): Promise<GridRun> {
  const log = o.log ?? console.log;
  const t0 = performance.now();
  return withLab({ log, ...(o.keep !== undefined ? { keep: o.keep } : {}) }, async (lab) => {
    if (o.conditions) {
      await lab.topology.setLinkConditions(o.conditions);
      log(`[lab] link conditions: ${describeConditions(o.conditions)}`);
    }
    let natDetection: NatDetectionRecord[] | undefined;
    if (o.natDetection) {
      natDetection = await runNatDetection(lab, undefined, log);
      mkdirSync(path.dirname(NAT_DETECTION_RESULTS_FILE), { recursive: true });
      writeFileSync(NAT_DETECTION_RESULTS_FILE, `${JSON.stringify(natDetection, null, 2)}\n`);
    }
    const records = await runGrid(lab, { log, ...(o.pairs ? { pairs: o.pairs } : {}), ...(o.lateCandidatesMs ? { lateCandidatesMs: o.lateCandidatesMs } : {}), ...(o.settleMs ? { settleMs: o.settleMs } : {}), ...(o.screenshotDir ? { screenshotDir: o.screenshotDir } : {}) });
    writeGridResults(records, o.conditions);
    return { records, ...(natDetection ? { natDetection } : {}), totalMs: Math.round(performance.now() - t0) };
  });
}
