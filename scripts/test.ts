// Why: `npm test` is the one command CI and developers run. It makes sure the OS packages the
// real-parts tests need are present (installing them as root, else stopping and naming them),
// typechecks every tsconfig, then runs each vitest project and prints one closing line
// "N passed, N failed" that sums them.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { typecheckAll } from "./check.ts";
import { ensureOsDependencies, MissingOsPackagesError } from "./lib/os-deps.ts";
import { REPO_ROOT, TMP_DIR } from "./lib/paths.ts";
import { failedTestNames, type VitestJsonReport } from "./lib/vitest-report.ts";
import { wranglerEnv } from "./lib/wrangler-env.ts";

interface Suite {
  name: string;
  config: string;
}

const SUITES: Suite[] = [
  { name: "protocol", config: "protocol/vitest.config.ts" },
  { name: "device-agent", config: "device-agent/vitest.config.ts" },
  { name: "web", config: "web/vitest.config.ts" },
  { name: "scripts (npm run deploy, its --dry-run included)", config: "scripts/vitest.config.ts" },
  { name: "worker (workerd)", config: "worker/vitest.config.ts" },
  { name: "end-to-end", config: "test/e2e/vitest.config.ts" },
  // Needs root (network namespaces); fails naming what is missing otherwise.
  { name: "nat-lab", config: "lab/vitest.config.ts" },
];

const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const selected = only.length ? SUITES.filter((s) => only.some((o) => s.name.startsWith(o))) : SUITES;

try {
  ensureOsDependencies();
} catch (error) {
  if (error instanceof MissingOsPackagesError) {
    console.error(`\n${error.message}`);
    process.exit(2);
  }
  throw error;
}

let passed = 0;
let failed = 0;
const failures: string[] = [];
// CI shows only the tail of a long run: the failed tests are named again right above the total.
const failedNames: string[] = [];

if (!only.length || only.includes("check")) {
  if (typecheckAll()) passed++;
  else {
    failed++;
    failures.push("typecheck");
  }
}

const resultsDir = path.join(TMP_DIR, "test-results");
mkdirSync(resultsDir, { recursive: true });
const vitest = path.join(REPO_ROOT, "node_modules", "vitest", "vitest.mjs");

for (const suite of selected) {
  const out = path.join(resultsDir, `${suite.name.replace(/\W+/g, "-")}.json`);
  rmSync(out, { force: true });
  console.log(`\n[test] ${suite.name}: vitest run --config ${suite.config}`);
  const run = spawnSync(
    process.execPath,
    [vitest, "run", "--config", suite.config, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    { cwd: REPO_ROOT, stdio: "inherit", env: wranglerEnv() },
  );
  let counted = false;
  try {
    const report = JSON.parse(readFileSync(out, "utf8")) as VitestJsonReport;
    failedNames.push(...failedTestNames(report, REPO_ROOT).map((name) => `${suite.name}: ${name}`));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    counted = true;
    if (report.numTotalTests === 0) {
      failed++;
      failures.push(`${suite.name} (ran no test)`);
    } else if (report.numFailedTests > 0 || run.status !== 0) {
      failures.push(suite.name);
      if (report.numFailedTests === 0) failed++;
    }
  } catch {
    // No report: the suite crashed before running (config error, missing package).
  }
  if (!counted) {
    failed++;
    failures.push(`${suite.name} (did not run: exit ${run.status})`);
  }
}

for (const name of failedNames) console.log(`[test] ✗ ${name}`);
console.log(`\n[test] ${failures.length ? `failed: ${failures.join(", ")}` : "all suites passed"}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
