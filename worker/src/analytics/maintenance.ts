// Why: what the hourly Cron Trigger does, in one place, so the shell in index.ts only logs: it
// repairs the roll-up of hours that have none, then prunes old rows. Each step runs even if the
// other failed (a prune stuck on a D1 time limit must not stop the repair), and the outcome says
// how much each did, for the analytics_maintained log event an operator can alert on.
import { messageOf } from "../log.ts";
import { pruneOnce, type PruneResult } from "./retention.ts";
import { repairRollups } from "./rollup-repair.ts";

export interface MaintenanceResult {
  repairedHours: number;
  pruned: PruneResult;
  /** The steps that threw, with their message (the run then fails after the other step ran). */
  failed: { step: "repair" | "prune"; message: string }[];
  ms: number;
}

export async function runMaintenance(db: D1Database, now: number, clock: () => number = Date.now): Promise<MaintenanceResult> {
  const started = clock();
  const result: MaintenanceResult = { repairedHours: 0, pruned: {}, failed: [], ms: 0 };
  // Repair first: an hour about to lose its raw rows is settled by then (30 days), so the order
  // only matters for reports stored before the roll-up existed.
  try {
    result.repairedHours = (await repairRollups(db, now)).length;
  } catch (error) {
    result.failed.push({ step: "repair", message: messageOf(error).slice(0, 300) });
  }
  try {
    result.pruned = await pruneOnce(db, now);
  } catch (error) {
    result.failed.push({ step: "prune", message: messageOf(error).slice(0, 300) });
  }
  result.ms = clock() - started;
  return result;
}
