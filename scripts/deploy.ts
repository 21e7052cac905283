// Why: `npm run deploy` is the one command that takes a Cloudflare account to a running edge and,
// run again, changes nothing; `--dry-run` checks everything that needs no account (npm test runs it).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { createWrangler, DEPLOY_USAGE, DeployError, parseDeployArgs, runDeploy, type DeployOptions } from "./lib/deploy/index.ts";
import { REPO_ROOT, TMP_DIR } from "./lib/paths.ts";

/** `npm run build:web`, on this (Node 24) binary. */
function buildWeb(): Promise<void> {
  const vite = path.join(REPO_ROOT, "node_modules", "vite", "bin", "vite.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], { cwd: REPO_ROOT, stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new DeployError(`the PWA build (vite build) failed with exit ${code}`))));
  });
}

let options: DeployOptions;
try {
  options = parseDeployArgs(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${DEPLOY_USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(DEPLOY_USAGE);
  process.exit(0);
}

const tmpDir = path.join(TMP_DIR, "deploy");
mkdirSync(tmpDir, { recursive: true });
const started = Date.now();
try {
  const report = await runDeploy(options, {
    offline: createWrangler({ mode: "offline" }),
    account: createWrangler({ mode: "account" }),
    buildWeb,
    log: (line) => console.log(`[deploy] ${line}`),
    tmpDir,
  });
  if (!options.dryRun) console.log(`[deploy] ${report.url ?? "edge"}: ${report.changes.length ? report.changes.join("; ") : "unchanged"} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (error) {
  // A DeployError says what to do; anything else (wrangler output we could not read) gets its stack too.
  console.error(`[deploy] failed: ${error instanceof DeployError ? error.message : error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
}
