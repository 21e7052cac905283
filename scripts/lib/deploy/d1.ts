// Why: a fresh account has no D1 database and wrangler.toml holds a placeholder id; the deploy
// finds the database by name (or creates it) and records its id, and never creates a second one.
import { isPlaceholderDatabaseId } from "./edge-config.ts";
import { jsonFromOutput } from "./json-output.ts";

export interface D1Database {
  uuid: string;
  name: string;
}

/** Parses `wrangler d1 list --json` (the D1 API's list: objects with uuid and name). */
export function parseD1List(stdout: string): D1Database[] {
  const parsed = jsonFromOutput(stdout, "[");
  if (!Array.isArray(parsed)) throw new Error("`wrangler d1 list --json` printed no JSON array");
  return parsed
    .filter((d): d is { uuid: string; name: string } => typeof d?.uuid === "string" && typeof d?.name === "string")
    .map(({ uuid, name }) => ({ uuid, name }));
}

export type DatabaseAction =
  | { type: "none"; id: string }
  | { type: "record"; id: string }
  | { type: "create"; name: string }
  | { type: "refuse"; reason: string };

/**
 * What to do about the database, from wrangler.toml's (name, id) and the account's databases.
 * A real id the account lacks is refused rather than replaced: it is likely the wrong account.
 */
export function planDatabase(configured: { name: string; id: string }, account: readonly D1Database[]): DatabaseAction {
  if (!isPlaceholderDatabaseId(configured.id)) {
    if (account.some((d) => d.uuid === configured.id)) return { type: "none", id: configured.id };
    return {
      type: "refuse",
      reason: `wrangler.toml's database_id ${configured.id} is not a D1 database of this account (logged into another account?). Put back the all-zero placeholder to have one found by name or created.`,
    };
  }
  const named = account.filter((d) => d.name === configured.name);
  if (named.length > 1) return { type: "refuse", reason: `this account has ${named.length} D1 databases named "${configured.name}"; put the right database_id into wrangler.toml` };
  if (named[0]) return { type: "record", id: named[0].uuid };
  return { type: "create", name: configured.name };
}
