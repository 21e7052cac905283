// Why: the camera side of the lab — provision a camera on the lab edge, then run the real
// agent (demo clip, no loopback candidate) in the camera's home behind router rA.
import { appendFileSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import type { Managed } from "../scripts/lib/processes.ts";
import { waitFor } from "../scripts/lib/processes.ts";
import { EDGE_IP, EDGE_URL, TURN_PORT } from "./addresses.ts";
import type { NatSide, NatTypeName } from "../protocol/index.ts";
import type { LabSecrets } from "./lab-secrets.ts";
import type { LabTls } from "./lab-tls.ts";
import { readyOrExit, startInNamespace } from "./ns-process.ts";
import type { ProvisionedCamera } from "./provision-camera.ts";

export function provisionLabCamera(ns: string, serial: string, keyDir: string, secrets: LabSecrets): ProvisionedCamera {
  const r = spawnSync("ip", ["netns", "exec", ns, process.execPath, path.join(REPO_ROOT, "lab", "provision-camera.ts"), EDGE_URL, serial, keyDir], {
    cwd: REPO_ROOT,
    env: { ...process.env, LAB_ADMIN_TOKEN: secrets.adminToken },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`provisioning the lab camera failed (${r.status ?? r.error?.message}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as ProvisionedCamera;
}

export interface LabAgent {
  proc: Managed;
  /** True while the agent holds a welcomed signaling socket. */
  readonly online: boolean;
  /** Recent log lines (JSON), for diagnosing a pair. */
  recentLines(n?: number): string[];
  waitOnline(timeoutMs?: number): Promise<void>;
  /**
   * Asks the running agent to re-run NAT discovery (SIGUSR2) and resolves with its report, the
   * one it also sends the edge. The lab switches the router's NAT without an address change, which
   * the agent would otherwise notice only at its periodic refresh.
   */
  rediscoverNat(timeoutMs?: number): Promise<AgentNatReport>;
}

/** The agent's nat_discovered log event (device-agent/src/log.ts). */
export interface AgentNatReport {
  natType: NatTypeName;
  mapping: NatSide["mapping"];
  filtering: NatSide["filtering"];
  hairpinning: boolean | null;
  udpBlocked: boolean;
  durationMs: number;
}

export async function startLabAgent(
  ns: string,
  camera: ProvisionedCamera,
  secrets: LabSecrets,
  tls: LabTls,
  log: (line: string) => void,
  logFile?: string,
): Promise<LabAgent> {
  let online = false;
  const lines: string[] = [];
  let natWaiter: ((r: AgentNatReport) => void) | undefined;
  const proc = startInNamespace(
    "agent",
    ns,
    process.execPath,
    [path.join(REPO_ROOT, "device-agent", "src", "cli.ts"), "--edge", EDGE_URL, "--serial", camera.serial, "--source", "demo",
      "--name", "Lab camera", "--no-loopback-candidates", "--log-level", "debug",
      // NAT discovery at start against the lab coturn (RFC 5780 on its two addresses).
      "--nat-stun", `${EDGE_IP}:${TURN_PORT}`],
    {
      // NODE_EXTRA_CA_CERTS: the run's CA, so TURN over TLS (turns:) to the lab's coturn verifies.
      env: { ...process.env, PORTHOLE_DEVICE_TOKEN: camera.token, PORTHOLE_EDGE_JWKS: secrets.edgeJwks, NODE_EXTRA_CA_CERTS: tls.caFile },
      onLine: (line) => {
        lines.push(line);
        try {
          if (logFile) appendFileSync(logFile, `${line}\n`);
        } catch {
          // A line drained after the run's scratch dir was removed.
        }
        if (lines.length > 400) lines.splice(0, 200);
        if (natWaiter && line.includes('"event":"nat_discovered"') && line.includes('"reason":"requested"')) {
          try {
            natWaiter(JSON.parse(line.slice(line.indexOf("{"))) as AgentNatReport);
          } catch {
            // Not one JSON line: the waiter times out and names it.
          }
        }
        if (line.includes('"event":"signaling_welcome"')) online = true;
        else if (line.includes('"event":"signaling_closed"')) online = false;
        if (line.includes('"level":"error"') || line.includes('"event":"signaling_closed"')) log(`[agent] ${line}`);
      },
    },
  );
  const agent: LabAgent = {
    proc,
    get online() {
      return online;
    },
    recentLines: (n = 40) => lines.slice(-n),
    rediscoverNat: (timeoutMs = 20_000) =>
      readyOrExit(
        proc,
        new Promise<AgentNatReport>((resolve, reject) => {
          const timer = setTimeout(() => {
            natWaiter = undefined;
            reject(new Error(`the lab agent reported no NAT discovery within ${timeoutMs} ms of SIGUSR2`));
          }, timeoutMs);
          natWaiter = (r) => {
            clearTimeout(timer);
            natWaiter = undefined;
            resolve(r);
          };
          proc.child.kill("SIGUSR2");
        }),
      ).catch((e: unknown) => {
        throw new Error(`${(e as Error).message}; the agent's last lines:\n${lines.slice(-25).join("\n")}`);
      }),
    waitOnline: (timeoutMs = 20_000) => readyOrExit(proc, waitFor("the lab agent to be online", async () => (online ? true : undefined), timeoutMs, 50)).then(() => {}),
  };
  // An agent that dies says why in its last lines: keep them in the run's log, where a failed
  // test's evidence() prints them (the scratch dir with agent.log is gone by then).
  void proc.exited.then((code) => {
    // A stopped agent exits 0 (SIGTERM) or by the signal (null).
    if (code !== 0 && code !== null) log(`[agent] exited unexpectedly (${code}); its last lines:\n${lines.slice(-25).join("\n")}`);
  });
  await agent.waitOnline(30_000);
  return agent;
}
