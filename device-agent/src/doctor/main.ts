// Why: `porthole-agent doctor [agent flags] [--json]` takes the same flags as the agent (copy
// the camera's command line and put `doctor` in front), so it checks exactly the edge, serial
// and token the agent would use.
import { loadConfig } from "../config.ts";
import { EXIT_CODES, isAgentError } from "../errors.ts";
import { realDoctorDeps } from "./deps.ts";
import { httpOrigin } from "./edge-https.ts";
import { formatHuman, formatJson, scrub } from "./format.ts";
import { runDoctor, type DoctorDeps } from "./run.ts";
import { reportUpload, uploadLine, uploadReport } from "./upload.ts";

export const DOCTOR_USAGE = `Usage: porthole-agent doctor [agent options] [--json] [--no-report]

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
  --no-report  Do not send the result to the edge (by default it is sent, without
               secrets, so the camera's owner sees it on the camera's page)
  -h, --help   Show this help

Exit codes: 0 nothing failed (warnings allowed), 1 a check failed, 2 usage.
Sending the result never changes the exit code; a failed send is only reported.`;

export interface DoctorIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: DoctorIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

export async function doctorMain(argv: string[], env: Record<string, string | undefined>, io: DoctorIo = processIo, deps: Partial<DoctorDeps> = {}): Promise<number> {
  const json = argv.includes("--json");
  const sendReport = !argv.includes("--no-report");
  const rest = argv.filter((a) => a !== "--json" && a !== "--no-report");
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
  const allDeps = { ...realDoctorDeps(), ...deps };
  const { report, secrets, turnUsernames } = await runDoctor(
    { edge: config.edge, serial: config.serial, token: config.token, ...(config.iceServers ? { iceServersOverride: config.iceServers } : {}) },
    allDeps,
  );
  const upload = sendReport
    ? await uploadReport(allDeps.fetch, httpOrigin(config.edge), config.serial, config.token, reportUpload(report, secrets, turnUsernames), allDeps.timeoutMs)
    : undefined;
  if (json) io.stdout(formatJson(upload ? { ...report, upload } : report, secrets));
  else io.stdout(formatHuman(report, secrets) + (upload ? `${scrub(uploadLine(upload), secrets)}\n` : ""));
  // The exit code is the checks' alone: a failed upload is only reported.
  return report.exitCode;
}
