// Why: tests and the lab use real Debian programs (Chromium, ffmpeg, coturn, nftables,
// iproute2). On a fresh machine `npm test` installs them itself when it can (root + apt-get)
// and otherwise stops at once naming the packages — never a confusing failure later.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface OsDependency {
  /** Debian package name. */
  pkg: string;
  /** Any of these paths present means it is installed. */
  paths: string[];
  why: string;
}

export const OS_DEPENDENCIES: OsDependency[] = [
  { pkg: "chromium", paths: ["/usr/bin/chromium"], why: "end-to-end tests and the TTFF benchmark drive Debian's Chromium" },
  { pkg: "firefox-esr", paths: ["/usr/bin/firefox-esr"], why: "the cross-browser end-to-end suite drives Debian's Firefox ESR over WebDriver BiDi" },
  { pkg: "webkit2gtk-driver", paths: ["/usr/bin/WebKitWebDriver"], why: "the WebKitGTK end-to-end tests drive WebKit (Safari's engine) with WebKitWebDriver" },
  { pkg: "xvfb", paths: ["/usr/bin/Xvfb"], why: "WebKitGTK has no headless mode: its end-to-end tests run it on a virtual X display" },
  { pkg: "ffmpeg", paths: ["/usr/bin/ffmpeg"], why: "camera sources (test pattern, RTSP, V4L2) are encoded by ffmpeg" },
  { pkg: "coturn", paths: ["/usr/bin/turnserver"], why: "TURN relay for paths that cannot be hole-punched" },
  { pkg: "nftables", paths: ["/usr/sbin/nft", "/sbin/nft"], why: "the NAT lab sets NAT behaviour with nftables" },
  { pkg: "iproute2", paths: ["/usr/sbin/ip", "/sbin/ip", "/bin/ip"], why: "the NAT lab builds network namespaces with ip" },
  { pkg: "conntrack", paths: ["/usr/sbin/conntrack", "/sbin/conntrack"], why: "the NAT lab forgets a router's UDP mappings between pairs" },
  { pkg: "curl", paths: ["/usr/bin/curl"], why: "the NAT lab probes its edge from inside a namespace" },
  { pkg: "openssl", paths: ["/usr/bin/openssl"], why: "the NAT lab mints a throwaway CA for coturn's TURN over TLS on 443" },
  { pkg: "gcc", paths: ["/usr/bin/cc", "/usr/bin/gcc"], why: "the NAT lab compiles its delay and loss element (lab/delay/link-delay.c)" },
  { pkg: "libc6-dev", paths: ["/usr/include/stdio.h"], why: "headers for the NAT lab's delay element" },
  { pkg: "linux-libc-dev", paths: ["/usr/include/linux/ethtool.h"], why: "AF_PACKET and SIOCETHTOOL headers for the NAT lab's delay element" },
];

export function missingOsDependencies(deps: OsDependency[] = OS_DEPENDENCIES): OsDependency[] {
  return deps.filter((d) => !d.paths.some((p) => existsSync(p)));
}

export class MissingOsPackagesError extends Error {
  readonly code = "missing_os_packages";
  readonly packages: string[];
  constructor(packages: string[], detail: string) {
    super(
      `Missing OS packages: ${packages.join(", ")}. ${detail}\n` +
        `Install them with: sudo apt-get update && sudo apt-get install -y ${packages.join(" ")}`,
    );
    this.packages = packages;
  }
}

/**
 * Makes sure the OS packages are present: installs missing ones with apt-get when running as
 * root, otherwise throws MissingOsPackagesError naming them.
 */
export function ensureOsDependencies(log: (line: string) => void = console.log): void {
  const missing = missingOsDependencies();
  if (missing.length === 0) return;
  const names = missing.map((d) => d.pkg);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = existsSync("/usr/bin/apt-get");
  if (!isRoot || !hasApt) {
    throw new MissingOsPackagesError(names, isRoot ? "apt-get is not available." : "Not running as root, so they cannot be installed automatically.");
  }
  log(`[deps] installing OS packages: ${names.join(", ")} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const install = update.status === 0
    ? spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...names], { stdio: "inherit", env })
    : update;
  const still = missingOsDependencies(missing).map((d) => d.pkg);
  if (install.status !== 0 || still.length > 0) {
    throw new MissingOsPackagesError(still.length ? still : names, "apt-get install failed.");
  }
}
