// Why: `npm run dev:worker` and friends call wrangler through here so the offline environment
// (lib/wrangler-env.ts) always applies and the Node 24 binary is the one that runs it.
import { spawn } from "node:child_process";
import { REPO_ROOT } from "./lib/paths.ts";
import { WRANGLER_BIN, wranglerEnv } from "./lib/wrangler-env.ts";

const child = spawn(process.execPath, [WRANGLER_BIN, ...process.argv.slice(2)], {
  cwd: REPO_ROOT,
  env: wranglerEnv(),
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
