// Why: the deploy reads the same wrangler.toml wrangler does, with wrangler's own parser (the file
// has comments, which a hand-rolled reader would get wrong), and reduces it to what it checks.
import { readFileSync } from "node:fs";
import path from "node:path";
import { experimental_readRawConfig } from "wrangler";

/** What the deploy needs to know about wrangler.toml. Paths are absolute. */
export interface EdgeConfig {
  configPath: string;
  /** The file's text as read: part of the content tag, and where the database id is recorded. */
  text: string;
  name: string;
  main: string;
  assetsDir: string | null;
  database: { binding: string; name: string; id: string; migrationsDir: string } | null;
  vars: Record<string, unknown>;
  requiredSecrets: string[];
}

/** wrangler.toml's all-zero id: local D1 needs no real one, a deploy does. */
export const PLACEHOLDER_DATABASE_ID = "00000000-0000-0000-0000-000000000000";

export function isPlaceholderDatabaseId(id: string): boolean {
  return id === "" || /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(id);
}

export function readEdgeConfig(configPath: string): EdgeConfig {
  const absolute = path.resolve(configPath);
  const dir = path.dirname(absolute);
  const { rawConfig: raw } = experimental_readRawConfig({ config: absolute });
  type RawD1 = { binding: string; database_name?: string; database_id?: string; migrations_dir?: string };
  const databases = (raw.d1_databases ?? []) as RawD1[];
  const d1 = databases.find((db) => db.binding === "DB") ?? databases[0];
  return {
    configPath: absolute,
    text: readFileSync(absolute, "utf8"),
    name: raw.name ?? "",
    main: raw.main ? path.resolve(dir, raw.main) : "",
    assetsDir: raw.assets?.directory ? path.resolve(dir, raw.assets.directory) : null,
    database: d1
      ? {
          binding: d1.binding,
          name: d1.database_name ?? "",
          id: d1.database_id ?? "",
          migrationsDir: path.resolve(dir, d1.migrations_dir ?? "migrations"),
        }
      : null,
    vars: (raw.vars ?? {}) as Record<string, unknown>,
    requiredSecrets: [...(raw.secrets?.required ?? [])],
  };
}
