// Why: `npm start`, the end-to-end tests and the TTFF benchmark all need the same local stack —
// the real worker in workerd via `wrangler dev` with local D1 (migrations applied), a demo
// camera provisioned through the real vendor API, and the real agent. One implementation.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { DevicePresenceSchema } from "../../protocol/index.ts";
import { provisionDevice } from "../provision/provision.ts";
import { coturnInstalled, localTurnRegions, startCoturn, type Coturn } from "./coturn.ts";
import { ensureDevVars } from "./dev-vars.ts";
import { EdgeApiError, EdgeSession } from "./edge-api.ts";
import { REPO_ROOT, STATE_DIR } from "./paths.ts";
import { freePort, startProcess, waitFor, type Managed } from "./processes.ts";
import { WRANGLER_BIN, wranglerEnv } from "./wrangler-env.ts";

export interface StackOptions {
  /** TCP port for the edge on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Where local D1 / DO state lives (wrangler --persist-to). */
  persistDir: string;
  /** File remembering the demo camera's serial, access code and token. */
  demoFile: string;
  /** Serial to provision for the demo camera when none is remembered. */
  demoSerial?: string;
  /** Build web/dist first (skipped when already built unless forced). */
  buildWeb?: "always" | "if-missing" | "never";
  /** Agent source (`demo`, `testsrc`, rtsp://…); false runs no agent. */
  agentSource?: string | false;
  /** More agent flags (e.g. `--ptz virtual`, `--talk-sink file:/tmp/x.ogg`). */
  agentArgs?: string[];
  /**
   * Give the demo camera a demo account as its owner, with watching by access code allowed
   * (so the printed direct link works). False leaves it unclaimed, e.g. for a claim test.
   */
  demoOwner?: boolean;
  log?: (line: string) => void;
  /** Receives every line the child processes print. */
  onProcessLine?: (name: string, line: string) => void;
  /**
   * Run a local coturn (when /usr/bin/turnserver exists) and hand its TURN REST credentials
   * out through the edge (TURN_SECRET from .dev.vars, TURN_REGIONS via --var).
   */
  turn?: boolean;
  /** More wrangler vars (`--var NAME:value`), e.g. a short DEVICE_HEARTBEAT_SECONDS for tests. */
  wranglerVars?: Record<string, string>;
  /**
   * More demo cameras beside the first (0–3, default 0), each with its own serial, name and
   * agent process playing the shipped clip, owned by the demo account — so the multi-camera view
   * has four to show. Their agents get no `agentArgs` (no virtual PTZ): the plain clip needs no
   * ffmpeg, which keeps four cameras light on a small machine. Needs the demo owner.
   */
  extraCameras?: number;
}

export interface DemoCamera {
  serial: string;
  /** The name the owner gave it (absent in files written before extra cameras existed). */
  name?: string;
  accessCode: string;
  token: string;
  /** The demo account that owns the camera (absent when the stack runs with demoOwner: false). */
  owner?: { email: string; password: string };
}

export interface Stack {
  url: string;
  port: number;
  camera: DemoCamera;
  /** The extra demo cameras (options.extraCameras), online and owned by the demo account. */
  extraCameras: DemoCamera[];
  adminToken: string;
  processes: Managed[];
  /** The local coturn, when started (options.turn and turnserver installed). */
  coturn?: Coturn;
  /** Starts (or restarts) the agent for the demo camera; `args` replace options.agentArgs. */
  startAgent(source?: string, args?: string[]): Promise<Managed>;
  /** The camera's data directory (settings, presets, recordings): kept across agent restarts. */
  agentDataDir: string;
  /** Stops the edge (wrangler dev, SIGTERM to its PID); the persisted D1 / DO state stays. */
  stopEdge(): Promise<void>;
  /** Starts the edge again on the same port and persisted state (after stopEdge). */
  startEdge(): Promise<void>;
  stop(): Promise<void>;
}

function runWrangler(args: string[], persistDir: string): void {
  const result = spawnSync(process.execPath, [WRANGLER_BIN, ...args, "--persist-to", persistDir], {
    cwd: REPO_ROOT,
    env: wranglerEnv(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

export function buildWeb(log: (line: string) => void): void {
  log("[stack] building the PWA (vite build)");
  const vite = path.join(REPO_ROOT, "node_modules", "vite", "bin", "vite.js");
  const result = spawnSync(process.execPath, [vite, "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
    cwd: REPO_ROOT,
    // Vite keeps an inherited NODE_ENV: under vitest ("test") the build would not be a
    // production build (no service worker registration, dev-only code kept).
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

async function presence(url: string, serial: string) {
  const res = await fetch(`${url}/api/devices/${encodeURIComponent(serial)}`);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`presence ${res.status}`);
  return DevicePresenceSchema.parse(await res.json());
}

/** What tells the demo cameras apart: the first, then the extras in order. */
const DEMO_CAMERAS = [
  { serial: "DEMO-0001", name: "Demo camera" },
  { serial: "DEMO-0002", name: "Front door" },
  { serial: "DEMO-0003", name: "Garden" },
  { serial: "DEMO-0004", name: "Garage" },
] as const;
export const MAX_EXTRA_CAMERAS = DEMO_CAMERAS.length - 1;

/** The n-th extra camera's file beside the first one's (demo-camera.json → demo-camera-2.json). */
const extraDemoFile = (demoFile: string, n: number): string => demoFile.replace(/(\.json)?$/, `-${n + 1}.json`);

async function ensureDemoCamera(url: string, adminToken: string, demoFile: string, wanted: { serial: string; name: string }, log: (l: string) => void): Promise<DemoCamera> {
  if (existsSync(demoFile)) {
    const saved = JSON.parse(readFileSync(demoFile, "utf8")) as DemoCamera;
    if (await presence(url, saved.serial)) return saved;
    log(`[stack] remembered demo camera ${saved.serial} is not in this database; provisioning again`);
  }
  let serial = wanted.serial;
  // A camera with that serial may exist without our record of its code: pick a fresh serial.
  for (let i = 0; i < 5 && (await presence(url, serial)); i++) {
    serial = `DEMO-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
  }
  const result = await provisionDevice({ edge: url, vendor: "demo-vendor", serial, name: wanted.name, adminToken });
  const camera: DemoCamera = { serial: result.serial, name: wanted.name, accessCode: result.accessCode, token: result.token };
  saveDemo(demoFile, camera);
  log(`[stack] provisioned demo camera ${camera.serial}`);
  return camera;
}

function saveDemo(file: string, camera: DemoCamera): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(camera, null, 2), { mode: 0o600 });
}

/**
 * Makes the demo account own the demo camera and allow watching with the access code. Runs
 * through the public account API, exactly as a person would in the PWA.
 */
async function ensureDemoOwner(url: string, camera: DemoCamera, demoFile: string, log: (l: string) => void, account?: DemoCamera["owner"]): Promise<DemoCamera> {
  const owner = account ?? camera.owner ?? { email: "demo@porthole.local", password: randomBytes(12).toString("base64url") };
  const session = new EdgeSession(url);
  await session.signUpOrIn(owner.email, owner.password);
  try {
    await session.call("POST", "/api/cameras", z.unknown(), { serial: camera.serial, accessCode: camera.accessCode, name: camera.name ?? "Demo camera" });
    log(`[stack] ${owner.email} claimed ${camera.serial}`);
  } catch (error) {
    // Ours from an earlier run is fine; the PATCH below fails if someone else owns it.
    if (!(error instanceof EdgeApiError) || error.code !== "already_claimed") throw error;
  }
  await session.call("PATCH", `/api/cameras/${encodeURIComponent(camera.serial)}`, z.unknown(), { allowCodeViewing: true });
  const withOwner = { ...camera, owner };
  saveDemo(demoFile, withOwner);
  return withOwner;
}

/** The edge's public signing key, pinned into the agent so it can verify viewer grants itself. */
function edgeJwks(edgeSigningJwk: string): string {
  const { d: _d, key_ops: _ops, ...pub } = JSON.parse(edgeSigningJwk) as Record<string, unknown>;
  return JSON.stringify({ keys: [{ ...pub, alg: "ES256", use: "sig" }] });
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => {});
  const processes: Managed[] = [];
  const stopAll = async () => {
    for (const p of [...processes].reverse()) await p.stop();
  };
  try {
    const vars = ensureDevVars();
    const buildMode = options.buildWeb ?? "if-missing";
    if (buildMode === "always" || (buildMode === "if-missing" && !existsSync(path.join(REPO_ROOT, "web", "dist", "index.html")))) {
      buildWeb(log);
    }
    mkdirSync(options.persistDir, { recursive: true });
    log("[stack] applying D1 migrations (local)");
    runWrangler(["d1", "migrations", "apply", "DB", "--local"], options.persistDir);

    let coturn: Coturn | undefined;
    const turnVars: string[] = [];
    if (options.turn && coturnInstalled()) {
      // Everything runs on 127.0.0.1 locally: the relay must reach the agent's and the browser's
      // loopback candidates, so loopback peers are allowed here — and only here. The shipped
      // turn/turnserver.conf denies them (test/e2e/coturn-policy.e2e.test.ts).
      // rfc5780: also on 127.0.0.2, so the agent's NAT discovery gets OTHER-ADDRESS (issue 11).
      coturn = await startCoturn({ secret: vars.TURN_SECRET, allowLoopbackPeers: true, rfc5780: true, verbose: true, name: "stack" });
      processes.push(coturn.process);
      // Both via --var: wrangler loads from .dev.vars only the secrets named in wrangler.toml's
      // `[secrets] required`, and TURN_SECRET is deliberately not required (TURN is optional).
      turnVars.push("--var", `TURN_SECRET:${vars.TURN_SECRET}`, "--var", `TURN_REGIONS:${localTurnRegions(coturn)}`);
      log(`[stack] coturn on 127.0.0.1:${coturn.port} (TURN REST, loopback peers allowed for local use)`);
    }
    const port = options.port || (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const extraVars = Object.entries(options.wranglerVars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
    // Push notifications (issue 13) via --var too: without the key push is simply off, so it is
    // not in `[secrets] required` either.
    if (vars.VAPID_PRIVATE_JWK) extraVars.unshift("--var", `VAPID_PRIVATE_JWK:${vars.VAPID_PRIVATE_JWK}`);
    let wrangler: Managed | undefined;
    const startEdge = async (): Promise<void> => {
      const inspectorPort = await freePort();
      log(`[stack] starting the edge (wrangler dev) on ${url}`);
      const edge = startProcess(
        "wrangler",
        process.execPath,
        [WRANGLER_BIN, "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort),
          "--persist-to", options.persistDir, "--show-interactive-dev-session=false", "--log-level", "warn", ...turnVars, ...extraVars],
        { cwd: REPO_ROOT, env: wranglerEnv(), onLine: (line) => options.onProcessLine?.("wrangler", line) },
      );
      wrangler = edge;
      processes.push(edge);
      await Promise.race([
        waitFor("the edge to answer /api/health", async () => ((await fetch(`${url}/api/health`)).ok ? true : undefined), 60_000, 150),
        edge.exited.then((code) => {
          throw new Error(`wrangler dev exited early (${code})`);
        }),
      ]);
    };
    const stopEdge = async (): Promise<void> => {
      if (!wrangler) return;
      const edge = wrangler;
      wrangler = undefined;
      await edge.stop();
      processes.splice(processes.indexOf(edge), 1);
    };
    await startEdge();

    let camera = await ensureDemoCamera(url, vars.ADMIN_TOKEN, options.demoFile, { serial: options.demoSerial ?? DEMO_CAMERAS[0].serial, name: DEMO_CAMERAS[0].name }, log);
    if (options.demoOwner !== false) camera = await ensureDemoOwner(url, camera, options.demoFile, log);

    const extraCount = Math.min(MAX_EXTRA_CAMERAS, Math.max(0, options.extraCameras ?? 0));
    if (extraCount > 0 && !camera.owner) throw new Error("extraCameras needs the demo owner (demoOwner: false was passed)");
    const extraCameras: DemoCamera[] = [];
    for (let n = 1; n <= extraCount; n++) {
      const file = extraDemoFile(options.demoFile, n);
      const extra = await ensureDemoCamera(url, vars.ADMIN_TOKEN, file, DEMO_CAMERAS[n]!, log);
      extraCameras.push(await ensureDemoOwner(url, extra, file, log, camera.owner));
    }

    let agent: Managed | undefined;
    const agentDataDir = path.join(options.persistDir, "camera", camera.serial);
    const startAgent = async (source = options.agentSource || "demo", args = options.agentArgs ?? []): Promise<Managed> => {
      if (agent) {
        await agent.stop();
        processes.splice(processes.indexOf(agent), 1);
      }
      const next = startProcess(
        "agent",
        process.execPath,
        [path.join(REPO_ROOT, "device-agent", "src", "cli.ts"), "--edge", url, "--serial", camera.serial, "--source", source, "--name", "Demo camera", "--data-dir", agentDataDir, ...args],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, PORTHOLE_DEVICE_TOKEN: camera.token, PORTHOLE_EDGE_JWKS: edgeJwks(vars.EDGE_SIGNING_JWK) },
          onLine: (line) => options.onProcessLine?.("agent", line),
        },
      );
      agent = next;
      processes.push(next);
      await Promise.race([
        waitFor("the demo camera to come online", async () => ((await presence(url, camera.serial))?.online ? true : undefined), 30_000, 150),
        next.exited.then((code) => {
          throw new Error(`the agent exited early (${code})`);
        }),
      ]);
      return next;
    };
    if (options.agentSource !== false) await startAgent();
    // The extra cameras' agents start together (each waits only for its own camera online).
    await Promise.all(extraCameras.map(async (extra, i) => {
      const next = startProcess(
        `agent-${i + 2}`,
        process.execPath,
        [path.join(REPO_ROOT, "device-agent", "src", "cli.ts"), "--edge", url, "--serial", extra.serial, "--source", "demo", "--name", extra.name ?? extra.serial,
          "--data-dir", path.join(options.persistDir, "camera", extra.serial)],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, PORTHOLE_DEVICE_TOKEN: extra.token, PORTHOLE_EDGE_JWKS: edgeJwks(vars.EDGE_SIGNING_JWK) },
          onLine: (line) => options.onProcessLine?.(`agent-${i + 2}`, line),
        },
      );
      processes.push(next);
      await Promise.race([
        // 60 s, not 30: several agents start at once, each compiling its TypeScript on load.
        waitFor(`demo camera ${extra.serial} to come online`, async () => ((await presence(url, extra.serial))?.online ? true : undefined), 60_000, 150),
        next.exited.then((code) => {
          throw new Error(`the agent of ${extra.serial} exited early (${code})`);
        }),
      ]);
    }));

    return { url, port, camera, extraCameras, adminToken: vars.ADMIN_TOKEN, processes, ...(coturn ? { coturn } : {}), startAgent, agentDataDir, stopEdge, startEdge, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Default locations used by `npm start`. */
export const DEFAULT_STACK_STATE = {
  persistDir: path.join(STATE_DIR, "local-state"),
  demoFile: path.join(STATE_DIR, "demo-camera.json"),
};
