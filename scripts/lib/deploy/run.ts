// Why: the deploy's one sequence — check, build, measure, then (with an account) database,
// secrets, migrations, code, health — with every effect injected, so a test can run it against a
// stand-in wrangler and a stand-in edge.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { contentTag, listAssets, measureBundle } from "./bundle.ts";
import { checkEdgeConfig, turnRegionsConfigured } from "./config-checks.ts";
import { parseD1List, planDatabase } from "./d1.ts";
import { readEdgeConfig, type EdgeConfig } from "./edge-config.ts";
import { checkHealth } from "./health.ts";
import { assetProblems, bundleSizeProblem } from "./limits.ts";
import { readDeployState, writeAdminToken, writeDeployState } from "./local-state.ts";
import { localMigrations, parsePendingMigrations } from "./migrations.ts";
import type { DeployOptions } from "./options.ts";
import { describeStep, planEdge, type DeployStep } from "./plan.ts";
import { parseDeployedUrl, readLiveTag } from "./release.ts";
import { createRedactor } from "./redact.ts";
import { mintSecret, parseSecretList } from "./secrets.ts";
import { WranglerError, type Wrangler } from "./wrangler-runner.ts";
import { recordDatabaseId } from "./record-database-id.ts";

export interface DeployDeps {
  /** wrangler with no account and no network: the bundle build (`deploy --dry-run`). */
  offline: Wrangler;
  /** wrangler with the operator's login: everything account-side. */
  account: Wrangler;
  buildWeb: () => Promise<void>;
  log: (line: string) => void;
  /** Scratch directory for the bundle (inside the repo's .tmp). */
  tmpDir: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface DeployReport {
  /** What this run changed, in order; empty when the account already ran this build. */
  changes: string[];
  tag: string;
  url: string | null;
}

/** A deploy that stopped; the message says why and what to do. */
export class DeployError extends Error {
  override name = "DeployError";
}

export async function runDeploy(options: DeployOptions, deps: DeployDeps): Promise<DeployReport> {
  const secrets = createRedactor();
  const log = (line: string) => deps.log(secrets.redact(line));
  const call = async (wrangler: Wrangler, args: string[], stdin?: string) => {
    const result = await wrangler([...args, "--config", options.configPath], stdin === undefined ? {} : { stdin });
    if (result.code !== 0) throw new DeployError(new WranglerError(args, result, secrets.redact).message);
    return result;
  };

  // 1. Config, build, measure: no account needed.
  let config = readEdgeConfig(options.configPath);
  const database = config.database;
  const checks = checkEdgeConfig(config, database ? localMigrations(database.migrationsDir) : []);
  for (const w of checks.warnings) log(`warning: ${w}`);
  if (checks.errors.length || !database) throw new DeployError(`wrangler.toml (${config.configPath}):\n  ${checks.errors.join("\n  ")}`);
  log(`config ok: Worker "${config.name}", D1 "${database.name}", ${localMigrations(database.migrationsDir).length} migrations`);

  if (options.build) {
    log("building the PWA (npm run build:web)");
    await deps.buildWeb();
  }
  const assets = listAssets(config.assetsDir as string);
  const assetIssues = assetProblems(assets, options.plan);
  if (assetIssues.length) throw new DeployError(`static assets in ${config.assetsDir}:\n  ${assetIssues.join("\n  ")}`);

  const outdir = mkdtempSync(path.join(deps.tmpDir, "deploy-bundle-"));
  try {
    log("bundling the Worker (wrangler deploy --dry-run)");
    await call(deps.offline, ["deploy", "--dry-run", "--outdir", outdir]);
    const size = measureBundle(outdir);
    const tooBig = bundleSizeProblem(size, options.plan);
    if (tooBig) throw new DeployError(tooBig);
    log(`bundle ${(size.rawBytes / 1024).toFixed(1)} KiB, ${(size.gzipBytes / 1024).toFixed(1)} KiB gzip (${options.plan} plan limit ${options.plan === "paid" ? 10 : 3} MB); ${assets.length} asset files`);

    if (options.dryRun) {
      log(`dry run ok (build ${contentTag({ outdir, assetsDir: config.assetsDir, configText: config.text })}). With an account the deploy would, changing only what is missing or new:`);
      for (const step of [
        `find D1 database "${database.name}" (wrangler d1 list), create it if missing, record its id in wrangler.toml`,
        "mint and set the missing secrets (ADMIN_TOKEN, EDGE_SIGNING_JWK, VAPID_PRIVATE_JWK); never replace one",
        "apply unapplied migrations (wrangler d1 migrations apply DB --remote)",
        "wrangler deploy, unless the live version is this build",
        "GET /api/health",
      ]) log(`  - ${step}`);
      return { changes: [], tag: "", url: null };
    }

    // 2. Database: find or create, and record its id (later calls read it from wrangler.toml).
    const changes: string[] = [];
    const listed = parseD1List((await call(deps.account, ["d1", "list", "--json"])).stdout);
    const dbAction = planDatabase(database, listed);
    if (dbAction.type === "refuse") throw new DeployError(dbAction.reason);
    let databaseId = dbAction.type === "create" ? null : dbAction.id;
    if (dbAction.type === "create") {
      log(`creating D1 database "${database.name}"`);
      await call(deps.account, ["d1", "create", database.name]);
      changes.push(`created D1 database ${database.name}`);
      const after = planDatabase(database, parseD1List((await call(deps.account, ["d1", "list", "--json"])).stdout));
      if (after.type !== "record") throw new DeployError(`created D1 database "${database.name}" but cannot find it in \`wrangler d1 list\``);
      databaseId = after.id;
    }
    if (dbAction.type !== "none") {
      writeFileSync(config.configPath, recordDatabaseId(config.text, database.binding, databaseId as string));
      config = readEdgeConfig(options.configPath);
      log(`recorded database_id ${databaseId} in ${path.basename(config.configPath)}`);
      changes.push(`recorded database_id in ${path.basename(config.configPath)}`);
    }

    // 3. Observe the rest, then plan.
    const secretList = await deps.account(["secret", "list", "--format", "json", "--config", options.configPath]);
    let existingSecrets: string[] | null;
    try {
      existingSecrets = parseSecretList(secretList);
    } catch {
      throw new DeployError(new WranglerError(["secret", "list", "--format", "json"], secretList, secrets.redact).message);
    }
    const pending = parsePendingMigrations(
      (await call(deps.account, ["d1", "migrations", "list", database.binding, "--remote"])).stdout,
      localMigrations(database.migrationsDir),
    );
    const liveTag = await readLiveTag((args, o) => deps.account([...args, "--config", options.configPath], o));
    const tag = contentTag({ outdir, assetsDir: config.assetsDir, configText: config.text });
    const plan = planEdge({ secrets: existingSecrets, pendingMigrations: pending, liveTag, buildTag: tag, turnRegionsConfigured: turnRegionsConfigured(config) });
    for (const w of plan.warnings) log(`warning: ${w}`);
    log(plan.steps.length ? `plan:\n${plan.steps.map((s) => `  - ${describeStep(s)}`).join("\n")}` : `nothing to change: ${tag} is live, secrets set, migrations applied`);

    // 4. Execute.
    let deployedUrl: string | null = null;
    for (const step of plan.steps) {
      const done = await execute(step, config, deps, call, secrets.add, log);
      changes.push(describeStep(step));
      if (step.type === "deploy") deployedUrl = done;
    }

    // 5. Health.
    const state = readDeployState(config.configPath);
    const url = options.url ?? deployedUrl ?? state.url ?? null;
    if (!url) {
      if (plan.steps.some((s) => s.type === "deploy")) throw new DeployError("deployed, but found no URL in wrangler's output to check /api/health on: run again with --url https://<your-host>");
      log("warning: /api/health not checked: no URL known on this machine; pass --url https://<your-host>");
    } else {
      log(`checking ${url}/api/health`);
      const health = await checkHealth(url, { attempts: options.healthAttempts, intervalMs: options.healthIntervalMs, fetch: deps.fetch, sleep: deps.sleep });
      if (!health.ok) throw new DeployError(`the edge is not healthy: ${health.reason}`);
      log(`healthy${health.version ? ` (version ${health.version})` : ""}`);
    }
    writeDeployState(config.configPath, { url: url ?? undefined, tag });
    log(changes.length ? `done: ${changes.length} change(s)` : "done: no changes");
    return { changes, tag, url };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

type Call = (wrangler: Wrangler, args: string[], stdin?: string) => Promise<{ stdout: string; stderr: string }>;

/** Runs one step; a deploy returns the URL wrangler printed. */
async function execute(step: DeployStep, config: EdgeConfig, deps: DeployDeps, call: Call, register: (v: string) => void, log: (l: string) => void): Promise<string | null> {
  switch (step.type) {
    case "put-secret": {
      const value = mintSecret(step.name);
      register(value);
      log(`setting secret ${step.name}`);
      await call(deps.account, ["secret", "put", step.name], value);
      if (step.name === "ADMIN_TOKEN") {
        log(`ADMIN_TOKEN written to ${writeAdminToken(config.configPath, value)} (mode 0600): vendors are registered with it, and Cloudflare never shows it again`);
      }
      return null;
    }
    case "apply-migrations":
      log(`applying ${step.names.length} migration(s) to the remote database`);
      await call(deps.account, ["d1", "migrations", "apply", config.database?.binding ?? "DB", "--remote"]);
      return null;
    case "deploy": {
      log(`deploying ${step.tag}`);
      const result = await call(deps.account, ["deploy", "--tag", step.tag, "--message", `npm run deploy ${step.tag}`]);
      return parseDeployedUrl(`${result.stdout}\n${result.stderr}`);
    }
  }
}
