// Why: the edge's secrets are minted once and never replaced: a new EDGE_SIGNING_JWK would void
// every camera's pinned edge key and a new VAPID key every browser's push subscription. Values are
// minted with the generators `.dev.vars` uses (lib/dev-vars.ts) and travel only on stdin.
import { SECRET_MINTERS } from "../dev-vars.ts";
import { jsonFromOutput } from "./json-output.ts";

/** Secrets the deploy mints when missing. TURN_SECRET is not one: see planSecrets. */
export const MINTED_SECRETS = ["ADMIN_TOKEN", "EDGE_SIGNING_JWK", "VAPID_PRIVATE_JWK"] as const;
export type MintedSecret = (typeof MINTED_SECRETS)[number];

export function mintSecret(name: MintedSecret): string {
  return SECRET_MINTERS[name]();
}

/**
 * Parses `wrangler secret list --format json` ([{name, type}]). Null when the Worker does not
 * exist yet (a fresh account): it then has no secrets, and the first `secret put` creates it as
 * an empty draft that the deploy replaces seconds later. (`wrangler deploy --secrets-file` would
 * avoid the draft but put every value in a file on disk; stdin keeps them in memory.)
 */
export function parseSecretList(result: { code: number; stdout: string; stderr: string }): string[] | null {
  if (result.code !== 0) {
    if (/not found/i.test(`${result.stdout}\n${result.stderr}`)) return null;
    throw new Error("`wrangler secret list` failed");
  }
  const parsed = jsonFromOutput(result.stdout, "[");
  if (!Array.isArray(parsed)) throw new Error("`wrangler secret list --format json` printed no JSON array");
  return parsed.map((s: { name?: unknown }) => String(s.name));
}

export interface SecretsPlan {
  put: MintedSecret[];
  warnings: string[];
}

/**
 * Which secrets to mint and put: those missing, never one that exists. TURN_SECRET is never
 * minted here: coturn must hold the same value (static-auth-secret) and the edge must not hand out
 * credentials coturn rejects, so the operator makes it on the coturn host and puts it on the edge
 * once coturn runs (turn/DEPLOY.md §4); a missing one with TURN_REGIONS set is only reported.
 */
export function planSecrets(existing: readonly string[], turnRegionsConfigured: boolean): SecretsPlan {
  const have = new Set(existing);
  const warnings: string[] = [];
  if (turnRegionsConfigured && !have.has("TURN_SECRET")) {
    warnings.push(
      "TURN_REGIONS is set but the edge has no TURN_SECRET, so viewers get no TURN: put coturn's static-auth-secret with `npx wrangler secret put TURN_SECRET` (turn/DEPLOY.md §4)",
    );
  }
  return { put: MINTED_SECRETS.filter((name) => !have.has(name)), warnings };
}
