// Why: the camera's NAT type as the agent's own discovery sees it through the router's real
// nftables NAT: nat-probe.ts run in the camera's namespace against the lab coturn, which
// listens on two addresses and so answers RFC 5780.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { NatReport } from "../device-agent/src/nat/index.ts";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { EDGE_IP, TURN_PORT } from "./addresses.ts";

/** Per request; the negative filtering and hairpin tests wait this long, side by side. */
const PROBE_TIMEOUT_MS = 1200;

/** Runs NAT behaviour discovery from inside `ns` (the camera's host) against the lab's coturn. */
export async function detectNat(ns: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<NatReport> {
  const { stdout } = await promisify(execFile)(
    "ip",
    ["netns", "exec", ns, process.execPath, path.join(REPO_ROOT, "lab", "nat-probe.ts"), EDGE_IP, String(TURN_PORT), String(timeoutMs)],
    { cwd: REPO_ROOT, timeout: 30_000 },
  );
  return JSON.parse(stdout.trim().split("\n").pop() ?? "") as NatReport;
}
