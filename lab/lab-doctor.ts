// Why: `porthole-agent doctor` must name real faults on a real camera network (issue 11): run
// the real CLI on the camera's host, behind the lab router and its egress policy, against the
// lab edge and its coturn with a real TLS certificate on 443 (the run's CA).
import { spawn } from "node:child_process";
import path from "node:path";
import type { DoctorReport } from "../device-agent/src/doctor/index.ts";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { EDGE_URL } from "./addresses.ts";
import type { Lab } from "./lab.ts";

export interface LabDoctorRun {
  exitCode: number | null;
  report: DoctorReport;
}

/** Runs `porthole-agent doctor --json` as the lab camera, inside `ns` (default: the camera's host). */
export function runLabDoctor(lab: Lab, ns = lab.topology.ns.hA, timeoutMs = 60_000): Promise<LabDoctorRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "ip",
      ["netns", "exec", ns, process.execPath, path.join(REPO_ROOT, "device-agent", "src", "cli.ts"), "doctor", "--edge", EDGE_URL, "--serial", lab.camera.serial, "--json"],
      { cwd: REPO_ROOT, env: { ...process.env, PORTHOLE_DEVICE_TOKEN: lab.camera.token, NODE_EXTRA_CA_CERTS: lab.tls.caFile }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      try {
        resolve({ exitCode: code, report: JSON.parse(out) as DoctorReport });
      } catch {
        reject(new Error(`porthole-agent doctor printed no JSON report (exit ${code}):\n${out}\n${err}`));
      }
    });
  });
}
