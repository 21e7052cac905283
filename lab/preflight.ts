// Why: the lab needs root (network namespaces) and a few Debian programs; say exactly that up
// front rather than failing halfway through building namespaces.
import { existsSync } from "node:fs";

export interface LabTool {
  name: string;
  pkg: string;
  paths: string[];
}

export const LAB_TOOLS: LabTool[] = [
  { name: "ip", pkg: "iproute2", paths: ["/usr/sbin/ip", "/sbin/ip", "/bin/ip"] },
  { name: "nft", pkg: "nftables", paths: ["/usr/sbin/nft", "/sbin/nft"] },
  { name: "conntrack", pkg: "conntrack", paths: ["/usr/sbin/conntrack", "/sbin/conntrack"] },
  { name: "turnserver", pkg: "coturn", paths: ["/usr/bin/turnserver"] },
  { name: "chromium", pkg: "chromium", paths: ["/usr/bin/chromium"] },
  { name: "curl", pkg: "curl", paths: ["/usr/bin/curl"] },
  { name: "openssl", pkg: "openssl", paths: ["/usr/bin/openssl"] },
  // The delay and loss element (lab/delay/link-delay.c) is compiled at lab start.
  { name: "cc", pkg: "gcc", paths: ["/usr/bin/cc", "/usr/bin/gcc"] },
  { name: "stdio.h", pkg: "libc6-dev", paths: ["/usr/include/stdio.h"] },
  { name: "linux/ethtool.h", pkg: "linux-libc-dev", paths: ["/usr/include/linux/ethtool.h"] },
  // Its accuracy check runs the probes at real-time priority (lab/link-delay.test.ts).
  { name: "chrt", pkg: "util-linux", paths: ["/usr/bin/chrt"] },
];

export const NOT_ROOT_MESSAGE = "the NAT lab needs root for network namespaces: run as root (sudo npm run lab)";

export class LabPreflightError extends Error {
  readonly code = "lab_preflight";
}

/** Null when the lab can run here, else the reason (naming the packages to install). */
export function labPreflightProblem(isRoot = process.getuid?.() === 0, tools: LabTool[] = LAB_TOOLS): string | null {
  if (!isRoot) return NOT_ROOT_MESSAGE;
  const missing = tools.filter((t) => !t.paths.some((p) => existsSync(p)));
  if (missing.length === 0) return null;
  const pkgs = [...new Set(missing.map((t) => t.pkg))];
  return (
    `the NAT lab needs ${missing.map((t) => t.name).join(", ")}: install the Debian packages ${pkgs.join(", ")} ` +
    `(apt-get install -y ${pkgs.join(" ")})`
  );
}

export function assertLabCanRun(): void {
  const problem = labPreflightProblem();
  if (problem) throw new LabPreflightError(problem);
}
