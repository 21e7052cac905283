// Why: one running lab = topology + edge + coturn + a provisioned camera with its agent. The
// grid (and later the flap test) builds it once and only turns the routers' knobs per pair.
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { TMP_DIR } from "../scripts/lib/paths.ts";
import type { Managed } from "../scripts/lib/processes.ts";
import { provisionLabCamera, startLabAgent, type LabAgent } from "./camera.ts";
import { startLabCoturn } from "./coturn.ts";
import { startEdgeServer } from "./edge-server.ts";
import { edgeCommandLineVars, mintLabSecrets, writeEdgeEnvFile, type LabSecrets } from "./lab-secrets.ts";
import { mintLabTls, type LabTls } from "./lab-tls.ts";
import { assertLabCanRun } from "./preflight.ts";
import { EDGE_IP } from "./addresses.ts";
import type { ProvisionedCamera } from "./provision-camera.ts";
import { buildTopology, reapStaleNamespaces, type Topology } from "./topology.ts";

export interface LabOptions {
  log?: (line: string) => void;
  /** Keep the per-run scratch directory (logs, state) after stopping. */
  keepScratch?: boolean;
}

export interface Lab {
  topology: Topology;
  camera: ProvisionedCamera;
  agent: LabAgent;
  secrets: LabSecrets;
  /** The run's CA and coturn's TLS certificate (turns: on 443). */
  tls: LabTls;
  /** Per-run scratch directory under .tmp/lab/. */
  dir: string;
  /** Restarts the agent (after a crash or a lost signaling socket). */
  restartAgent(): Promise<LabAgent>;
  stop(): Promise<void>;
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const log = options.log ?? (() => {});
  assertLabCanRun();
  reapStaleNamespaces(log);
  // The pid in the run id lets a later run recognise namespaces whose runner died.
  const runId = `${process.pid}`;
  const dir = path.join(TMP_DIR, "lab", `run-${runId}-${Date.now().toString(36)}`);
  mkdirSync(dir, { recursive: true });
  const procs: Managed[] = [];
  let topology: Topology | undefined;
  let agent: LabAgent | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (agent) procs.push(agent.proc);
    for (const p of procs.reverse()) await p.stop(3000).catch(() => {});
    topology?.destroy();
    if (!options.keepScratch) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const t0 = performance.now();
    topology = buildTopology(runId, log);
    log(`[lab] topology up in ${Math.round(performance.now() - t0)} ms`);
    const secrets = mintLabSecrets();
    const envFile = path.join(dir, "edge.env");
    writeEdgeEnvFile(envFile, secrets);
    const tls = mintLabTls(path.join(dir, "tls"), EDGE_IP);
    procs.push(await startLabCoturn(topology.ns.srv, path.join(dir, "coturn"), secrets, tls));
    procs.push(await startEdgeServer({ ns: topology.ns.srv, persistDir: path.join(dir, "state"), envFile, vars: edgeCommandLineVars(secrets), logFile: path.join(dir, "wrangler.log"), snapshotDir: path.join(dir, "edge"), log }));
    log(`[lab] edge and coturn up in ${Math.round(performance.now() - t0)} ms`);
    const camera = provisionLabCamera(topology.ns.srv, `LAB-${runId}`, path.join(dir, "vendors"), secrets);
    // The router needs a NAT before the agent can reach the edge at all.
    topology.setNat("rA", "port-restricted");
    topology.setNat("rB", "port-restricted");
    agent = await startLabAgent(topology.ns.hA, camera, secrets, tls, log, path.join(dir, "agent.log"));
    log(`[lab] camera ${camera.serial} online in ${Math.round(performance.now() - t0)} ms`);
    const topo = topology;
    const lab: Lab = {
      topology: topo,
      camera,
      get agent() {
        return agent as LabAgent;
      },
      secrets,
      tls,
      dir,
      async restartAgent() {
        await agent?.proc.stop(3000);
        agent = await startLabAgent(topo.ns.hA, camera, secrets, tls, log, path.join(dir, "agent.log"));
        return agent;
      },
      stop,
    };
    return lab;
  } catch (error) {
    await stop();
    throw error;
  }
}
