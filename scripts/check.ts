// Why: `npm run check` typechecks every runtime's tsconfig (strict; see tsconfig.json).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "./lib/paths.ts";
import { TSCONFIGS } from "./lib/tsconfigs.ts";

export function typecheckAll(log: (line: string) => void = console.log): boolean {
  const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  let ok = true;
  for (const config of TSCONFIGS) {
    const result = spawnSync(process.execPath, [tsc, "-p", config], { cwd: REPO_ROOT, encoding: "utf8" });
    const passed = result.status === 0;
    ok &&= passed;
    log(`[check] ${passed ? "ok  " : "FAIL"} tsc -p ${config}`);
    if (!passed) log(`${result.stdout}${result.stderr}`);
  }
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(typecheckAll() ? 0 : 1);
}
