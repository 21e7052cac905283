// Why: the remote database must have every migration before code that needs it is live; the deploy
// asks which are unapplied first, so a run with nothing to apply makes no change and says so.
import { readdirSync } from "node:fs";

/** The migration files wrangler applies, in its order (file name). */
export function localMigrations(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(".sql")).sort();
  } catch {
    return [];
  }
}

/**
 * Parses `wrangler d1 migrations list DB --remote`: "No migrations to apply" or a table of names.
 * Only names of local files count, so table borders or banners can never invent one.
 */
export function parsePendingMigrations(stdout: string, local: readonly string[]): string[] {
  if (/No migrations to apply/i.test(stdout)) return [];
  const pending = local.filter((name) => stdout.includes(name));
  if (pending.length === 0) throw new Error("could not read the unapplied migrations from `wrangler d1 migrations list`");
  return pending;
}
