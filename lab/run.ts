// Why: `npm run lab` — builds the NAT lab, runs the grid, writes lab/results/grid.json, prints
// the table, and exits non-zero unless every pair connected over its expected path.
//   --only <cam>:<viewer>[,…]   run some pairs (e.g. sym:sym,fc:same-lan)
//   --strict                    the strict-network cases instead: camera or viewer home with no
//                               UDP out, camera home with only TCP 443 out (grid.ts)
//   --keep                      keep the run's scratch dir (.tmp/lab/run-*) for its logs
//   --rtt-ms <n>                add delay: n ms round trip between the camera's and the viewer's
//                               homes (n/4 one way on each router's WAN link; n/2 to the servers)
//   --loss-pct <n>              lose n % of the frames leaving each home (each WAN's egress)
//                               (both: lab/link-conditions.ts; the element: lab/link-delay.ts)
//   --late-candidates-ms <n>    the viewer's candidates reach signaling n ms late (fault
//                               injection: its checks reach the camera before them)
//   --settle-ms <n>             also read each pair's path n ms after its first frame
//   --screenshots <dir>         save each pair's connection test and live page as PNGs
//                               (<cam>-<viewer>-test.png, -live.png), e.g. for the README
// Before the pairs it runs the camera's NAT discovery behind each router mode (no NAT and the
// four NAT types) and prints that table too (lab/results/camera-nat.json); the grid's own
// table has the camera's detected type per pair. A wrong detection fails the run.
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { conditionsFromFlags, describeConditions } from "./link-conditions.ts";
import { selectGridPairs, strictNetworkPairs } from "./grid.ts";
import { GRID_RESULTS_FILE, runLabGrid } from "./grid-run.ts";
import { recordPassed } from "./grid-record.ts";
import { LabPreflightError, labPreflightProblem } from "./preflight.ts";
import { formatResultsTable, summarize } from "./results-table.ts";
import { formatNatDetectionTable } from "./nat-detection.ts";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: "string" }, strict: { type: "boolean" }, keep: { type: "boolean" }, "rtt-ms": { type: "string" }, "loss-pct": { type: "string" }, "delay-ms": { type: "string" }, "late-candidates-ms": { type: "string" }, "settle-ms": { type: "string" }, screenshots: { type: "string" } } });
  const problem = labPreflightProblem();
  if (problem) {
    console.error(`npm run lab: ${problem}`);
    return 2;
  }
  if (values["delay-ms"] !== undefined) {
    // Gone with netem, which this machine kind's kernel lacks; say what replaced it.
    console.error("npm run lab: --delay-ms (netem) is gone; use --rtt-ms <camera↔viewer round trip> and --loss-pct <n>");
    return 2;
  }
  const { conditions, problem: conditionsProblem } = conditionsFromFlags(values["rtt-ms"], values["loss-pct"]);
  if (conditionsProblem) {
    console.error(`npm run lab: ${conditionsProblem}`);
    return 2;
  }
  const lateCandidatesMs = values["late-candidates-ms"] ? Number(values["late-candidates-ms"]) : undefined;
  if (lateCandidatesMs !== undefined && !(Number.isInteger(lateCandidatesMs) && lateCandidatesMs > 0 && lateCandidatesMs <= 10_000)) {
    console.error("npm run lab: --late-candidates-ms takes a whole number of milliseconds, 1–10000");
    return 2;
  }
  const { records, natDetection = [], totalMs } = await runLabGrid({
    natDetection: true,
    pairs: values.strict ? strictNetworkPairs() : selectGridPairs(values.only),
    ...(conditions ? { conditions } : {}),
    ...(lateCandidatesMs ? { lateCandidatesMs } : {}),
    ...(values["settle-ms"] ? { settleMs: Number(values["settle-ms"]) } : {}),
    ...(values.screenshots ? { screenshotDir: path.resolve(values.screenshots) } : {}),
    keep: values.keep ?? false,
  });
  const natOk = natDetection.every((r) => r.detected === r.expected);
  console.log(`\nCamera NAT detection (RFC 5780 discovery on the camera's host):\n${formatNatDetectionTable(natDetection)}\n`);
  console.log(`${formatResultsTable(records)}\n`);
  console.log(`Link conditions: ${describeConditions(conditions)}`);
  console.log(`${summarize(records)} (grid run ${(totalMs / 1000).toFixed(1)} s; ${path.relative(REPO_ROOT, GRID_RESULTS_FILE)})`);
  return records.every(recordPassed) && natOk ? 0 : 1;
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
