// Why: `porthole-agent doctor [agent flags] [--json]` takes the same flags as the agent (copy
// the camera's command line and put `doctor` in front), so it checks exactly the edge, serial
// and token the agent would use.
import { loadConfig } from "../config.ts";
import { EXIT_CODES, isAgentError } from "../errors.ts";
import { realDoctorDeps } from "./deps.ts";
import { formatHuman, formatJson } from "./format.ts";
import { runDoctor, type DoctorDeps } from "./run.ts";

export const DOCTOR_USAGE = `Usage: porthole-agent doctor [agent options] [--json]

Checks what this camera needs to be online and reachable, one line per check
(✓ pass, ! warning, ✗ failed, - not run) with what to do about it: the network
interface and default route, DNS of the edge, the edge over HTTPS and WebSocket,
the clock against the edge's, the device token (as the edge sees it), STUN over
UDP, TURN relays over UDP, TCP and TLS 443, the NAT type and hairpinning.

It takes the agent's own options (--edge, --serial, --token / --token-file, and
the PORTHOLE_* environment), so put "doctor" in front of the camera's command line.
It never connects as the camera, so a running agent keeps running, and it never
prints the token or TURN credentials.

  --json       Print the report as JSON (for tools)
  -h, --help   Show this help

Exit codes: 0 nothing failed (warnings allowed), 1 a check failed, 2 usage.`;

export interface DoctorIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: DoctorIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

export async function doctorMain(argv: string[], env: Record<string, string | undefined>, io: DoctorIo = processIo, deps: Partial<DoctorDeps> = {}): Promise<number> {
  const json = argv.includes("--json");
  const rest = argv.filter((a) => a !== "--json");
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(DOCTOR_USAGE + "\n");
    return 0;
  }
  let config;
  try {
    const r = loadConfig(rest, env);
    if (r.help) {
      io.stdout(DOCTOR_USAGE + "\n");
      return 0;
    }
    config = r.config;
  } catch (e) {
    if (isAgentError(e) && e.code === "usage") {
      io.stderr(`porthole-agent doctor: ${e.message}\nRun porthole-agent doctor --help for usage.\n`);
      return EXIT_CODES.usage;
    }
    throw e;
  }
  const { report, secrets } = await runDoctor(
    { edge: config.edge, serial: config.serial, token: config.token, ...(config.iceServers ? { iceServersOverride: config.iceServers } : {}) },
    { ...realDoctorDeps(), ...deps },
  );
  io.stdout(json ? formatJson(report, secrets) : formatHuman(report, secrets));
  return report.exitCode;
}
