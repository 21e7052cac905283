// Why: every script resolves repo paths the same way, wherever it is started from.
import { fileURLToPath } from "node:url";
import path from "node:path";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Scratch space inside the repo (gitignored): wrangler config/logs/tmp, test state. */
export const TMP_DIR = path.join(REPO_ROOT, ".tmp");
/** Local secrets and demo credentials (gitignored). */
export const STATE_DIR = path.join(REPO_ROOT, ".porthole");
export const DEV_VARS_PATH = path.join(REPO_ROOT, ".dev.vars");
