// Why: a deploy should stop on a broken wrangler.toml before it touches the account, and say
// which setting is wrong; the worker would otherwise fail at its first request.
import type { EdgeConfig } from "./edge-config.ts";

export interface CheckResult {
  errors: string[];
  warnings: string[];
}

/** Secrets without which the worker refuses to serve (wrangler.toml `[secrets] required`). */
export const EDGE_REQUIRED_SECRETS = ["ADMIN_TOKEN", "EDGE_SIGNING_JWK"] as const;

function jsonArrayVar(config: EdgeConfig, name: string, out: CheckResult): unknown[] | null {
  const value = config.vars[name];
  if (value === undefined) return null;
  try {
    const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // Reported below.
  }
  out.errors.push(`[vars] ${name} must be a JSON array (got ${JSON.stringify(value).slice(0, 60)})`);
  return null;
}

/** Checks wrangler.toml as read; `migrations` are the .sql file names in its migrations_dir. */
export function checkEdgeConfig(config: EdgeConfig, migrations: readonly string[]): CheckResult {
  const out: CheckResult = { errors: [], warnings: [] };
  if (!config.name) out.errors.push("wrangler.toml has no `name`: the Worker needs one");
  if (!config.main) out.errors.push("wrangler.toml has no `main` entry point");
  if (!config.assetsDir) out.errors.push("wrangler.toml has no [assets] directory: the PWA would not be served");
  if (!config.database) out.errors.push('wrangler.toml has no [[d1_databases]] entry with binding = "DB"');
  else {
    if (!config.database.name) out.errors.push("[[d1_databases]] DB has no database_name: the deploy finds or creates the database by it");
    if (migrations.length === 0) out.errors.push(`no migrations (*.sql) in ${config.database.migrationsDir}`);
  }
  for (const name of EDGE_REQUIRED_SECRETS) {
    if (!config.requiredSecrets.includes(name)) out.errors.push(`[secrets] required must list ${name}: the edge refuses to serve without it`);
  }
  const ice = jsonArrayVar(config, "ICE_SERVERS", out);
  if (ice !== null && ice.length === 0) {
    out.warnings.push("ICE_SERVERS is [] in wrangler.toml: only same-LAN viewing works until you add STUN (and TURN) servers");
  }
  jsonArrayVar(config, "TURN_REGIONS", out);
  if (config.vars.VAPID_SUBJECT === undefined) {
    out.warnings.push("VAPID_SUBJECT is not set: push services get mailto:push@porthole.invalid as the contact; set [vars] VAPID_SUBJECT");
  }
  return out;
}

/** True when wrangler.toml names coturn regions, i.e. the operator runs coturn. */
export function turnRegionsConfigured(config: EdgeConfig): boolean {
  try {
    const value = config.vars.TURN_REGIONS;
    const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
    return Array.isArray(parsed) && parsed.length > 0;
  } catch {
    return false;
  }
}
