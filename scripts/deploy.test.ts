// The deploy CLI end to end against a stand-in wrangler (a fake account in a JSON file) and a
// stand-in edge on 127.0.0.1, plus the real `npm run deploy -- --dry-run`.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { StandInAccount, StandInCall } from "./lib/deploy/testing/stand-in-wrangler.ts";
import { createWrangler, DeployError, parseDeployArgs, runDeploy } from "./lib/deploy/index.ts";
import { REPO_ROOT, TMP_DIR } from "./lib/paths.ts";

const STAND_IN = path.join(REPO_ROOT, "scripts", "lib", "deploy", "testing", "stand-in-wrangler.ts");
const CREDENTIAL = "stand-in-api-token-not-a-secret";

let edge: Server;
let edgeStatus = 200;
let healthRequests = 0;
let dir: string;

beforeAll(async () => {
  edge = createServer((req, res) => {
    if (req.url === "/api/health") healthRequests++;
    res.writeHead(edgeStatus, { "content-type": "application/json" }).end(JSON.stringify(edgeStatus === 200 ? { ok: true, version: "0.1.0" } : { ok: false }));
  });
  await new Promise<void>((r) => edge.listen(0, "127.0.0.1", r));
});
afterAll(() => edge.close());

beforeEach(() => {
  edgeStatus = 200;
  healthRequests = 0;
  mkdirSync(TMP_DIR, { recursive: true });
  dir = mkdtempSync(path.join(TMP_DIR, "deploy-test-"));
  // The real wrangler.toml and migrations; a small worker and PWA (the stand-in does not bundle).
  cpSync(path.join(REPO_ROOT, "wrangler.toml"), path.join(dir, "wrangler.toml"));
  cpSync(path.join(REPO_ROOT, "migrations"), path.join(dir, "migrations"), { recursive: true });
  mkdirSync(path.join(dir, "worker", "src"), { recursive: true });
  writeFileSync(path.join(dir, "worker", "src", "index.ts"), "export default { fetch() { return new Response('v1') } };\n");
  mkdirSync(path.join(dir, "web", "dist"), { recursive: true });
  writeFileSync(path.join(dir, "web", "dist", "index.html"), "<!doctype html><title>Porthole</title>\n");
  setAccount({ databases: [], worker: null, url: `http://127.0.0.1:${(edge.address() as AddressInfo).port}` });
  return () => rmSync(dir, { recursive: true, force: true });
});

function setAccount(account: StandInAccount): void {
  writeFileSync(path.join(dir, "account.json"), JSON.stringify(account, null, 2));
}
function account(): StandInAccount {
  return JSON.parse(readFileSync(path.join(dir, "account.json"), "utf8")) as StandInAccount;
}
function calls(): StandInCall[] {
  try {
    return readFileSync(path.join(dir, "calls.jsonl"), "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as StandInCall);
  } catch {
    return [];
  }
}
const command = (c: StandInCall) => c.argv.filter((a, i) => !a.startsWith("-") && !["--config", "--outdir", "--tag", "--message", "--format"].includes(c.argv[i - 1] ?? "")).join(" ");
const isDeploy = (c: StandInCall) => c.argv[0] === "deploy" && !c.argv.includes("--dry-run");
const changing = (list: StandInCall[]) => list.filter((c) => isDeploy(c) || /^(d1 create|secret put|d1 migrations apply)/.test(command(c)));

interface Run {
  code: number;
  output: string;
  calls: StandInCall[];
}

const standInEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  PORTHOLE_WRANGLER_BIN: STAND_IN,
  STAND_IN_WRANGLER_STATE: path.join(dir, "account.json"),
  STAND_IN_WRANGLER_LOG: path.join(dir, "calls.jsonl"),
  CLOUDFLARE_API_TOKEN: CREDENTIAL,
});
const cliArgs = (args: string[]) => ["--config", path.join(dir, "wrangler.toml"), "--skip-build", "--health-attempts", "2", "--health-interval", "50", ...args];

/**
 * runDeploy in this process (wrangler's config reader loaded once) with the CLI's wiring, the
 * stand-in as wrangler and no PWA build: returns what the CLI would print and this run's calls.
 */
async function deploy(...args: string[]): Promise<Run> {
  const before = calls().length;
  const lines: string[] = [];
  const env = standInEnv();
  let code = 0;
  try {
    await runDeploy(parseDeployArgs(cliArgs(args)), {
      offline: createWrangler({ mode: "offline", bin: STAND_IN, env }),
      account: createWrangler({ mode: "account", bin: STAND_IN, env }),
      buildWeb: async () => {},
      log: (line) => lines.push(`[deploy] ${line}`),
      tmpDir: dir,
    });
  } catch (error) {
    if (!(error instanceof DeployError)) throw error;
    lines.push(`[deploy] failed: ${error.message}`);
    code = 1;
  }
  return { code, output: lines.join("\n"), calls: calls().slice(before) };
}

/** `node scripts/deploy.ts` itself, as a process: its exit code and everything it wrote. */
function cliDeploy(...args: string[]): Promise<Run> {
  const before = calls().length;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "scripts", "deploy.ts"), ...cliArgs(args)], { cwd: REPO_ROOT, env: standInEnv() });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output, calls: calls().slice(before) }));
  });
}

const secretValues = (a: StandInAccount) => Object.values(a.worker?.secrets ?? {});

describe("npm run deploy against a stand-in account", () => {
  it("takes a fresh account to a healthy edge: database created and recorded, secrets set, migrations applied, then the code deployed", async () => {
    const run = await deploy();
    expect(run.code, run.output).toBe(0);
    const order = run.calls.map(command);
    const first = (prefix: string) => order.findIndex((c) => c.startsWith(prefix));
    const lastPut = order.findLastIndex((c) => c.startsWith("secret put"));
    const deployAt = run.calls.findIndex(isDeploy);
    expect(first("d1 create")).toBeGreaterThanOrEqual(0);
    expect(first("d1 create")).toBeLessThan(first("d1 migrations apply"));
    expect(first("d1 migrations apply")).toBeLessThan(deployAt);
    expect(lastPut).toBeLessThan(deployAt);
    expect(run.calls.filter(isDeploy)).toHaveLength(1);

    const after = account();
    const db = after.databases[0] as StandInAccount["databases"][number];
    expect(after.databases).toHaveLength(1);
    const local = readdirSync(path.join(dir, "migrations")).filter((f) => f.endsWith(".sql")).sort();
    expect(local.length).toBeGreaterThan(0);
    expect(db.applied).toEqual(local);
    const toml = readFileSync(path.join(dir, "wrangler.toml"), "utf8");
    expect(toml).toContain(`database_id = "${db.uuid}"`);
    expect(Object.keys(after.worker?.secrets ?? {}).sort()).toEqual(["ADMIN_TOKEN", "EDGE_SIGNING_JWK", "VAPID_PRIVATE_JWK"]);
    const jwk = JSON.parse(after.worker?.secrets.EDGE_SIGNING_JWK as string) as Record<string, string>;
    expect(jwk).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(jwk.kid).toMatch(/^edge-[0-9a-f]{8}$/);
    expect(healthRequests).toBe(1);
  });

  it("records the database id by changing only the database_id line of wrangler.toml", async () => {
    const original = readFileSync(path.join(dir, "wrangler.toml"), "utf8").split("\n");
    expect((await deploy()).code).toBe(0);
    const updated = readFileSync(path.join(dir, "wrangler.toml"), "utf8").split("\n");
    expect(updated).toHaveLength(original.length);
    const changed = updated.filter((line, i) => line !== original[i]);
    expect(changed).toEqual([`database_id = "${account().databases[0]?.uuid}"`]);
  });

  it("never replaces a secret that exists, and finds an existing database by name instead of creating one", async () => {
    setAccount({
      ...account(),
      databases: [{ uuid: "5d1c9a4e-7f1b-4a7e-9c11-0a8b9c6d2e31", name: "porthole", applied: [] }],
      worker: { secrets: { ADMIN_TOKEN: "operator-chosen-admin-token-0123456789" }, versions: [{ id: "v0", tag: null, code: "old" }], live: "v0" },
    });
    const run = await deploy();
    expect(run.code, run.output).toBe(0);
    expect(run.calls.map(command)).not.toContain("secret put ADMIN_TOKEN");
    expect(run.calls.map(command)).not.toContain("d1 create porthole");
    expect(account().worker?.secrets.ADMIN_TOKEN).toBe("operator-chosen-admin-token-0123456789");
    expect(readFileSync(path.join(dir, "wrangler.toml"), "utf8")).toContain('database_id = "5d1c9a4e-7f1b-4a7e-9c11-0a8b9c6d2e31"');
  });

  it("prints no secret value (the CLI's own stdout and stderr) and passes none on a command line; the admin token goes to a 0600 file", async () => {
    const run = await cliDeploy();
    expect(run.code, run.output).toBe(0);
    const values = secretValues(account());
    expect(values).toHaveLength(3);
    for (const value of values) {
      expect(run.output).not.toContain(value);
      for (const c of run.calls) expect(c.argv.join(" ")).not.toContain(value);
    }
    for (const jwk of values.filter((v) => v.startsWith("{"))) expect(run.output).not.toContain((JSON.parse(jwk) as { d: string }).d);
    expect(run.calls.filter((c) => command(c).startsWith("secret put")).every((c) => c.stdin)).toBe(true);
    const tokenFile = path.join(dir, ".porthole", "admin-token");
    expect(readFileSync(tokenFile, "utf8").trim()).toBe(account().worker?.secrets.ADMIN_TOKEN);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
  });

  it("a second run changes nothing: no database created, no secret put, no migration applied, no deploy — and still checks health", async () => {
    expect((await deploy()).code).toBe(0);
    const state = JSON.stringify(account());
    const toml = readFileSync(path.join(dir, "wrangler.toml"), "utf8");
    const second = await deploy();
    expect(second.code, second.output).toBe(0);
    expect(changing(second.calls)).toEqual([]);
    expect(JSON.stringify(account())).toBe(state);
    expect(readFileSync(path.join(dir, "wrangler.toml"), "utf8")).toBe(toml);
    expect(second.output).toContain("done: no changes");
    expect(healthRequests).toBe(2);
  });

  it("deploys changed code again, and only the code", async () => {
    expect((await deploy()).code).toBe(0);
    writeFileSync(path.join(dir, "worker", "src", "index.ts"), "export default { fetch() { return new Response('v2') } };\n");
    const run = await deploy();
    expect(run.code, run.output).toBe(0);
    expect(changing(run.calls).map(command)).toEqual(["deploy"]);
    const worker = account().worker;
    expect(worker?.versions.find((v) => v.id === worker.live)?.code).toContain("v2");
  });

  it("applies a new migration before deploying the code that ships with it", async () => {
    expect((await deploy()).code).toBe(0);
    writeFileSync(path.join(dir, "migrations", "9999_next.sql"), "CREATE TABLE next_thing (id INTEGER PRIMARY KEY);\n");
    writeFileSync(path.join(dir, "worker", "src", "index.ts"), "export default { fetch() { return new Response('uses next_thing') } };\n");
    const run = await deploy();
    expect(run.code, run.output).toBe(0);
    expect(changing(run.calls).map(command)).toEqual(["d1 migrations apply DB", "deploy"]);
    expect(account().databases[0]?.applied.at(-1)).toBe("9999_next.sql");
  });

  it("exits 1 with a clear message when the edge does not answer /api/health", async () => {
    edgeStatus = 503;
    const run = await cliDeploy();
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/failed: the edge is not healthy: GET http:\/\/127\.0\.0\.1:\d+\/api\/health did not answer \{"ok":true\} after 2 attempts \(last: HTTP 503/);
  });

  it("the dry run touches no account: it only bundles, offline and without credentials", async () => {
    const run = await deploy("--dry-run");
    expect(run.code, run.output).toBe(0);
    expect(run.calls.map(command)).toEqual(["deploy"]);
    expect(run.calls[0]?.argv).toContain("--dry-run");
    expect(run.calls[0]?.credentials).toBe(false);
    expect(account()).toMatchObject({ databases: [], worker: null });
    expect(healthRequests).toBe(0);
  });
});

describe("npm run deploy -- --dry-run (real wrangler, real PWA build)", () => {
  it("passes on this checkout without an account, leaving wrangler.toml as it was", async () => {
    const toml = readFileSync(path.join(REPO_ROOT, "wrangler.toml"), "utf8");
    const env = { ...process.env };
    for (const name of ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID", "PORTHOLE_WRANGLER_BIN"]) delete env[name];
    const dryRun = (...extra: string[]) => new Promise<{ code: number; output: string }>((resolve, reject) => {
      const child = spawn("npm", ["run", "--silent", "deploy", "--", "--dry-run", ...extra], { cwd: REPO_ROOT, env });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? 1, output }));
    });
    const tagOf = (output: string) => /dry run ok \(build (porthole-[0-9a-f]{16})\)/.exec(output)?.[1];
    const run = await dryRun();
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/bundle [\d.]+ KiB, [\d.]+ KiB gzip \(free plan limit 3 MB\)/);
    expect(run.output).toContain("dry run ok");
    expect(readFileSync(path.join(REPO_ROOT, "wrangler.toml"), "utf8")).toBe(toml);
    // The same build bundled again tags the same: what makes a re-run on a deployed edge a no-op.
    const again = await dryRun("--skip-build");
    expect(again.code, again.output).toBe(0);
    expect(tagOf(again.output)).toBe(tagOf(run.output));
  }, 240_000);
});
