// Why: `npm run lab:flap` — the flap test on its own: builds the lab, cuts the viewer home's WAN
// link for 2 s (and forgets its UDP NAT mappings) 20 times mid-stream, and prints how long video
// took to come back each time. Exits non-zero unless every cycle resumed within 3 s on the same
// session.   --cycles <n>  --down-ms <n>  --rebind (change the viewer's NAT mapping instead of
// cutting its link)  --readdress (give the viewer's home a new public address instead, as a phone
// moving from Wi-Fi to mobile data gets)  --keep (keep .tmp/lab/run-* logs)  --rtt-ms <n>
// --loss-pct <n> (delay and loss on the WAN links, as for `npm run lab`: lab/link-conditions.ts)
import { parseArgs } from "node:util";
import { runLabFlap } from "./flap.ts";
import { conditionsFromFlags, describeConditions } from "./link-conditions.ts";
import { LabPreflightError, labPreflightProblem } from "./preflight.ts";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { cycles: { type: "string" }, "down-ms": { type: "string" }, rebind: { type: "boolean" }, readdress: { type: "boolean" }, keep: { type: "boolean" }, "rtt-ms": { type: "string" }, "loss-pct": { type: "string" } } });
  const problem = labPreflightProblem();
  if (problem) {
    console.error(`npm run lab:flap: ${problem}`);
    return 2;
  }
  const cycles = values.cycles ? Number(values.cycles) : 20;
  const downMs = values["down-ms"] ? Number(values["down-ms"]) : 2000;
  if (!(Number.isInteger(cycles) && cycles >= 1 && cycles <= 500)) {
    console.error("npm run lab:flap: --cycles takes a whole number, 1–500");
    return 2;
  }
  if (!(Number.isInteger(downMs) && downMs >= 100 && downMs <= 60_000)) {
    console.error("npm run lab:flap: --down-ms takes a whole number of milliseconds, 100–60000");
    return 2;
  }
  const { conditions, problem: conditionsProblem } = conditionsFromFlags(values["rtt-ms"], values["loss-pct"]);
  if (conditionsProblem) {
    console.error(`npm run lab:flap: ${conditionsProblem}`);
    return 2;
  }
  const r = await runLabFlap({ cycles, downMs, keep: values.keep ?? false, ...(conditions ? { conditions } : {}), ...(values.rebind ? { mode: "rebind" as const } : values.readdress ? { mode: "readdress" as const } : {}) });
  const times = r.cycles.map((c) => c.resumeMs).filter((t): t is number => t !== null).sort((a, b) => a - b);
  const median = times.length ? times[Math.floor(times.length / 2)] : null;
  console.log(`\nlink conditions: ${describeConditions(conditions)}`);
  console.log(`flap: ${r.passed}/${cycles} resumed within ${r.resumeWithinMs} ms on session ${r.sessionId}; median ${median ?? "-"} ms, worst ${times.at(-1) ?? "-"} ms`);
  return r.passed === cycles ? 0 : 1;
}

if (import.meta.main) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof LabPreflightError ? `npm run lab:flap: ${e.message}` : `npm run lab:flap failed: ${(e as Error).stack ?? String(e)}`);
      process.exit(1);
    },
  );
}
