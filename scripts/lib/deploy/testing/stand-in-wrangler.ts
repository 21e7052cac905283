// Why: the deploy is tested against a fake Cloudflare account, not a real one. This script
// answers the wrangler commands the deploy uses from a JSON account file
// (STAND_IN_WRANGLER_STATE) and appends every call — argv, whether stdin carried a value, whether
// account credentials were in its environment — to STAND_IN_WRANGLER_LOG (JSON lines). Run it as
// PORTHOLE_WRANGLER_BIN. Its refusals mirror wrangler's: a deploy without the required secrets,
// or naming a database the account lacks, fails.
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface StandInAccount {
  databases: { uuid: string; name: string; applied: string[] }[];
  worker: null | { secrets: Record<string, string>; versions: { id: string; tag: string | null; code: string }[]; live: string | null };
  /** What `deploy` prints as the Worker's URL (a local stand-in edge in tests). */
  url: string;
}

export interface StandInCall {
  argv: string[];
  stdin: boolean;
  credentials: boolean;
}

const statePath = process.env.STAND_IN_WRANGLER_STATE as string;
const logPath = process.env.STAND_IN_WRANGLER_LOG as string;

function readStdin(): string {
  try {
    return readFileSync(0, "utf8");
  } catch {
    return "";
  }
}

function main(): number {
  const argv = process.argv.slice(2);
  const stdin = readStdin();
  appendFileSync(logPath, `${JSON.stringify({ argv, stdin: stdin.length > 0, credentials: Boolean(process.env.CLOUDFLARE_API_TOKEN) } satisfies StandInCall)}\n`);
  const account = JSON.parse(readFileSync(statePath, "utf8")) as StandInAccount;
  const save = () => writeFileSync(statePath, JSON.stringify(account, null, 2));
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const configPath = flag("--config") ?? flag("-c") ?? "wrangler.toml";
  const toml = readFileSync(configPath, "utf8");
  const configDir = path.dirname(configPath);
  const databaseId = /^\s*database_id\s*=\s*"([^"]*)"/m.exec(toml)?.[1] ?? "";
  const migrationsDir = path.join(configDir, /^\s*migrations_dir\s*=\s*"([^"]*)"/m.exec(toml)?.[1] ?? "migrations");
  const main = path.join(configDir, /^main\s*=\s*"([^"]*)"/m.exec(toml)?.[1] ?? "");
  const required = JSON.parse(/^required\s*=\s*(\[[^\]]*\])/m.exec(toml)?.[1] ?? "[]") as string[];
  const [a, b, c] = argv.filter((x, i) => !x.startsWith("-") && !(i > 0 && (argv[i - 1] as string).startsWith("--") && ["--config", "--outdir", "--tag", "--message", "--format"].includes(argv[i - 1] as string)));
  const fail = (message: string) => {
    console.error(`✘ [ERROR] ${message}`);
    return 1;
  };
  const configuredDb = () => account.databases.find((d) => d.uuid === databaseId);
  const pending = () => {
    const db = configuredDb();
    return readdirSync(migrationsDir).filter((f) => f.endsWith(".sql")).sort().filter((f) => !db?.applied.includes(f));
  };
  const newVersion = (tag: string | null, code: string) => {
    const worker = account.worker as NonNullable<StandInAccount["worker"]>;
    const id = randomUUID();
    worker.versions.push({ id, tag, code });
    worker.live = id;
  };

  const command = [a, b, c].filter(Boolean).join(" ");
  if (command === "d1 list") {
    console.log(JSON.stringify(account.databases.map(({ uuid, name }) => ({ uuid, name, version: "production", created_at: "2026-12-07T00:00:00Z" })), null, 2));
    return 0;
  }
  if (a === "d1" && b === "create" && c) {
    if (account.databases.some((d) => d.name === c)) return fail(`A database with that name already exists`);
    const uuid = randomUUID();
    account.databases.push({ uuid, name: c, applied: [] });
    save();
    console.log(`✅ Successfully created DB '${c}'\n\n[[d1_databases]]\nbinding = "${c}"\ndatabase_name = "${c}"\ndatabase_id = "${uuid}"`);
    return 0;
  }
  if (a === "d1" && b === "migrations") {
    if (!configuredDb()) return fail(`Couldn't find DB with name '${c}' (database_id ${databaseId})`);
    const todo = pending();
    if (argv.includes("list") || c === "list") {
      console.log(todo.length ? `Migrations to be applied:\n┌──────┐\n${todo.map((n) => `│ ${n} │`).join("\n")}\n└──────┘` : "✅ No migrations to apply!");
      return 0;
    }
    if (!todo.length) {
      console.log("✅ No migrations to apply!");
      return 0;
    }
    configuredDb()?.applied.push(...todo);
    save();
    console.log(todo.map((n) => `│ ${n} │ ✅ │`).join("\n"));
    return 0;
  }
  if (a === "secret" && b === "list") {
    if (!account.worker) return fail(`Worker "porthole" not found.\nIf this is a new Worker, run \`wrangler deploy\` first to create it.`);
    console.log(JSON.stringify(Object.keys(account.worker.secrets).map((name) => ({ name, type: "secret_text" })), null, "  "));
    return 0;
  }
  if (a === "secret" && b === "put" && c) {
    if (!stdin) return fail("no secret value on stdin");
    if (!account.worker) {
      console.log(`🌀 Creating new Worker "porthole"...`);
      account.worker = { secrets: {}, versions: [], live: null };
      newVersion(null, "export default { fetch() {} }");
    } else {
      const live = account.worker.versions.find((v) => v.id === account.worker?.live);
      newVersion(null, live?.code ?? "");
    }
    account.worker.secrets[c] = stdin.replace(/\n$/, "");
    save();
    console.log(`✨ Success! Uploaded secret ${c}`);
    return 0;
  }
  if (command === "deployments status") {
    if (!account.worker?.live) return fail("The Worker porthole has no deployments.");
    console.log(JSON.stringify({ id: randomUUID(), source: "wrangler", strategy: "percentage", versions: [{ version_id: account.worker.live, percentage: 100 }] }, null, 2));
    return 0;
  }
  if (a === "versions" && b === "view" && c) {
    const version = account.worker?.versions.find((v) => v.id === c);
    if (!version) return fail(`version ${c} not found`);
    console.log(JSON.stringify({ id: version.id, annotations: version.tag ? { "workers/tag": version.tag, "workers/triggered_by": "upload" } : { "workers/triggered_by": "secret" } }, null, 2));
    return 0;
  }
  if (a === "deploy") {
    const code = existsSync(main) ? readFileSync(main, "utf8") : "";
    const outdir = flag("--outdir");
    if (argv.includes("--dry-run")) {
      if (outdir) {
        mkdirSync(outdir, { recursive: true });
        writeFileSync(path.join(outdir, "index.js"), code);
        writeFileSync(path.join(outdir, "README.md"), "stand-in bundle\n");
      }
      console.log("--dry-run: exiting now.");
      return 0;
    }
    if (!configuredDb()) return fail(`D1 database ${databaseId} not found in this account`);
    const missing = required.filter((name) => !account.worker?.secrets[name]);
    if (missing.length) return fail(`The following required secrets have not been set: ${missing.join(", ")}`);
    const worker = account.worker as NonNullable<StandInAccount["worker"]>;
    newVersion(flag("--tag") ?? null, code);
    save();
    console.log(`Uploaded porthole (0.42 sec)\nDeployed porthole triggers (0.21 sec)\n  ${account.url}\nCurrent Version ID: ${worker.live}`);
    return 0;
  }
  return fail(`stand-in wrangler does not know: ${argv.join(" ")}`);
}

process.exit(main());
