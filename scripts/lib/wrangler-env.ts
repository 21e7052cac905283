// Why: wrangler phones home (metrics, error reports, cf fetch) and writes to $HOME unless told
// not to; on this machine kind that stalls ~3 s per call and leaks files outside the repo
// (see shared/notes/stack.md). Every wrangler call goes through this environment.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT, TMP_DIR } from "./paths.ts";

export function wranglerEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const xdg = path.join(TMP_DIR, "xdg");
  const logs = path.join(TMP_DIR, "wrangler-logs");
  const tmp = path.join(TMP_DIR, "tmp");
  for (const dir of [xdg, logs, tmp]) mkdirSync(dir, { recursive: true });
  return {
    ...base,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    XDG_CONFIG_HOME: xdg,
    WRANGLER_LOG_PATH: logs,
    TMPDIR: tmp,
  };
}

/** Path of wrangler's CLI entry, run with the same (Node 24) binary as the caller. */
export const WRANGLER_BIN = path.join(REPO_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
