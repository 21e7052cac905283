// Why: `npm run deploy` flags, parsed in one place so the CLI and its tests agree.
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../paths.ts";
import type { WorkersPlan } from "./limits.ts";

export interface DeployOptions {
  dryRun: boolean;
  configPath: string;
  /** The edge's origin for the health check; default: what `wrangler deploy` printed, then the last one. */
  url: string | null;
  plan: WorkersPlan;
  build: boolean;
  healthAttempts: number;
  healthIntervalMs: number;
  help: boolean;
}

export const DEPLOY_USAGE = `Usage: npm run deploy -- [options]

Takes a Cloudflare account to a running Porthole edge, changing only what is missing or new.

  --dry-run               everything that needs no account: config checks, PWA build,
                          wrangler deploy --dry-run, bundle and asset limits
  --url <https://host>    the edge's origin for the /api/health check (default: the URL
                          wrangler deploy prints, else the one recorded by the last deploy)
  --paid                  check the bundle against the Workers Paid limit (10 MB gzip, not 3 MB)
  --skip-build            use web/dist as it is instead of running the PWA build
  --config <path>         wrangler.toml to use (default: the repo's)
  --health-attempts <n>   health check attempts (default 20)
  --health-interval <ms>  pause between attempts (default 3000)
  -h, --help              this text
`;

export function parseDeployArgs(argv: readonly string[]): DeployOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      "dry-run": { type: "boolean", default: false },
      url: { type: "string" },
      paid: { type: "boolean", default: false },
      "skip-build": { type: "boolean", default: false },
      config: { type: "string" },
      "health-attempts": { type: "string" },
      "health-interval": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  const positive = (raw: string | undefined, fallback: number, flag: string): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} wants a whole number, got ${raw}`);
    return n;
  };
  if (values.url !== undefined && !/^https?:\/\/[^\s/]+\/?$/.test(values.url)) throw new Error(`--url wants an origin like https://edge.example.com, got ${values.url}`);
  return {
    dryRun: values["dry-run"],
    configPath: path.resolve(values.config ?? path.join(REPO_ROOT, "wrangler.toml")),
    url: values.url?.replace(/\/$/, "") ?? null,
    plan: values.paid ? "paid" : "free",
    build: !values["skip-build"],
    healthAttempts: Math.max(1, positive(values["health-attempts"], 20, "--health-attempts")),
    healthIntervalMs: positive(values["health-interval"], 3000, "--health-interval"),
    help: values.help,
  };
}
