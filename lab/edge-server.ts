// Why: the lab's public edge is the real worker under `wrangler dev`, bound to the server
// namespace's address, with its own per-run D1/DO state and secrets — and its own snapshot of
// the worker and the PWA. `wrangler dev` watches its sources and assets and reloads on any
// change, dropping every WebSocket (the agent saw 1006 and viewers got device_offline mid-grid
// whenever a vite build or a worker edit landed in the checkout during a run).
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { buildWeb } from "../scripts/lib/stack.ts";
import type { Managed } from "../scripts/lib/processes.ts";
import { waitFor } from "../scripts/lib/processes.ts";
import { WRANGLER_BIN, wranglerEnv } from "../scripts/lib/wrangler-env.ts";
import { EDGE_IP, EDGE_PORT, EDGE_URL } from "./addresses.ts";
import { readyOrExit, startInNamespace } from "./ns-process.ts";
import { inNs } from "./shell.ts";

/** `GET <edge><path>` from inside a namespace (the host namespace never talks to TEST-NET). */
export function curlInNs(ns: string, urlPath: string): { status: number; body: string } {
  const r = inNs(ns, "curl", ["-s", "-m", "3", "-w", "\n%{http_code}", `${EDGE_URL}${urlPath}`], { allowFail: true, timeoutMs: 5000 });
  const nl = r.stdout.lastIndexOf("\n");
  return { status: Number(r.stdout.slice(nl + 1)) || 0, body: r.stdout.slice(0, Math.max(nl, 0)) };
}

export interface EdgeServerOptions {
  ns: string;
  persistDir: string;
  envFile: string;
  /** Passed as `--var NAME:value` (names wrangler would not read from the env file). */
  vars?: Record<string, string>;
  /** Where wrangler's output goes. */
  logFile: string;
  /** Scratch directory for the run's snapshot of the worker bundle, PWA and config. */
  snapshotDir: string;
  log: (line: string) => void;
}

export async function startEdgeServer(o: EdgeServerOptions): Promise<Managed> {
  // Always this checkout's PWA: a web/dist left from an older build would test old viewer code.
  buildWeb(o.log);
  const config = snapshotEdge(o.snapshotDir);
  mkdirSync(o.persistDir, { recursive: true });
  // Local D1 only: no network, so it runs in the host namespace.
  const migrate = spawnSync(process.execPath, [WRANGLER_BIN, "d1", "migrations", "apply", "DB", "--local", "-c", config, "--persist-to", o.persistDir], {
    cwd: REPO_ROOT,
    env: wranglerEnv(),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (migrate.status !== 0) throw new Error(`wrangler d1 migrations apply failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const lines: string[] = [];
  const proc = startInNamespace(
    "wrangler",
    o.ns,
    process.execPath,
    [WRANGLER_BIN, "dev", "-c", config, "--ip", EDGE_IP, "--port", String(EDGE_PORT), "--persist-to", o.persistDir, "--env-file", o.envFile,
      "--show-interactive-dev-session=false", "--log-level", "warn",
      ...Object.entries(o.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`])],
    { env: wranglerEnv(), onLine: (line) => {
      lines.push(line);
      try {
        appendFileSync(o.logFile, `${line}\n`);
      } catch {
        // stdout can still drain after the process exited and the run's scratch dir is gone.
      }
    } },
  );
  try {
    await readyOrExit(proc, waitFor("the lab edge to answer /api/health", async () => (curlInNs(o.ns, "/api/health").status === 200 ? true : undefined), 60_000, 200));
  } catch (error) {
    await proc.stop();
    throw new Error(`${(error as Error).message}\nwrangler said:\n${lines.slice(-20).join("\n")}`);
  }
  return proc;
}

/**
 * Freezes what the edge serves for this run: the worker bundled once (`wrangler deploy
 * --dry-run --outdir`), web/dist copied, and a wrangler.toml that runs the bundle as it is
 * (`no_bundle`) with the copy as its assets and the repo's migrations. Returns the config path.
 */
function snapshotEdge(dir: string): string {
  const bundleDir = path.join(dir, "bundle");
  mkdirSync(dir, { recursive: true });
  const bundle = spawnSync(process.execPath, [WRANGLER_BIN, "deploy", "--dry-run", "--outdir", bundleDir], { cwd: REPO_ROOT, env: wranglerEnv(), encoding: "utf8", timeout: 120_000 });
  if (bundle.status !== 0) throw new Error(`bundling the worker for the lab failed:\n${bundle.stdout}\n${bundle.stderr}`);
  cpSync(path.join(REPO_ROOT, "web", "dist"), path.join(dir, "dist"), { recursive: true });
  const toml = readFileSync(path.join(REPO_ROOT, "wrangler.toml"), "utf8")
    .replace(/^main = .*$/m, 'main = "bundle/index.js"\nno_bundle = true')
    .replace(/^directory = "\.\/web\/dist"$/m, 'directory = "./dist"')
    .replace(/^migrations_dir = .*$/m, `migrations_dir = ${JSON.stringify(path.join(REPO_ROOT, "migrations"))}`);
  for (const [what, re] of [["main", /^no_bundle = true$/m], ["assets", /^directory = "\.\/dist"$/m], ["migrations", /^migrations_dir = "\//m]] as const) {
    if (!re.test(toml)) throw new Error(`the lab's edge snapshot could not rewrite wrangler.toml's ${what} line`);
  }
  const config = path.join(dir, "wrangler.toml");
  writeFileSync(config, toml);
  return config;
}
