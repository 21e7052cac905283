// Why: every wrangler call of the deploy goes through one function, so output is captured (and
// redacted before anything is shown), secret values travel only on stdin, and a test can swap the
// real CLI for a stand-in (PORTHOLE_WRANGLER_BIN) that keeps a fake account.
import { spawn } from "node:child_process";
import { REPO_ROOT } from "../paths.ts";
import { WRANGLER_BIN, wranglerEnv } from "../wrangler-env.ts";

export interface WranglerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `wrangler <args>`; `stdin` (a secret's value) is written to its standard input. */
export type Wrangler = (args: readonly string[], options?: { stdin?: string }) => Promise<WranglerResult>;

const ACCOUNT_VARIABLES = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_EMAIL", "CLOUDFLARE_ACCOUNT_ID"];

/**
 * The environment of a wrangler call. Offline (the dry run and the bundle build): the repo's
 * no-network settings (lib/wrangler-env.ts) and no account credentials at all. Account calls keep
 * the operator's HOME/XDG config, where `npx wrangler login` stored its token, and only turn
 * wrangler's telemetry off.
 */
export function deployWranglerEnv(mode: "offline" | "account", base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (mode === "account") {
    return { ...base, WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false" };
  }
  const env = wranglerEnv(base);
  for (const name of ACCOUNT_VARIABLES) delete env[name];
  return env;
}

/** The wrangler CLI the deploy runs: the repo's, or PORTHOLE_WRANGLER_BIN (a Node script) in tests. */
export function wranglerBin(env: NodeJS.ProcessEnv = process.env): string {
  return env.PORTHOLE_WRANGLER_BIN || WRANGLER_BIN;
}

export function createWrangler(options: { mode: "offline" | "account"; cwd?: string; bin?: string; env?: NodeJS.ProcessEnv }): Wrangler {
  const bin = options.bin ?? wranglerBin();
  const env = deployWranglerEnv(options.mode, options.env);
  return (args, { stdin } = {}) =>
    new Promise((resolve, reject) => {
      // Same Node 24 binary as ours (stack.md: wrangler refuses Node 20).
      const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? REPO_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr }));
      child.stdin.on("error", () => {}); // a CLI that exits without reading stdin
      child.stdin.end(stdin ?? "");
    });
}

/** Thrown when a wrangler call fails; the message carries its (redacted) output. */
export class WranglerError extends Error {
  constructor(args: readonly string[], result: WranglerResult, redact: (text: string) => string) {
    const output = redact(`${result.stdout}\n${result.stderr}`.trim()).split("\n").slice(-25).join("\n");
    super(`\`wrangler ${args.join(" ")}\` failed (exit ${result.code}):\n${output}`);
    this.name = "WranglerError";
  }
}
