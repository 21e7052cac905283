// Why: WebKitGTK is the closest engine to Safari that runs here. It has no headless mode, so
// each test file starts its own Xvfb (a free display picked by Xvfb itself, -displayfd) and its
// own WebKitWebDriver on a free loopback port, drives MiniBrowser through it, and stops exactly
// those processes by PID. A missing package fails naming it — the tests never skip.
import { spawn } from "node:child_process";
import { MissingOsPackagesError, missingOsDependencies, type OsDependency } from "../../../scripts/lib/os-deps.ts";
import { freePort, startProcess, waitFor, type Managed } from "../../../scripts/lib/processes.ts";
import { WebDriverSession } from "./webkit-driver.ts";

export const WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver";
export const XVFB = "/usr/bin/Xvfb";
/** Debian's WebKitGTK test browser (package libwebkit2gtk-4.1-0, pulled in by webkit2gtk-driver). */
export const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

const WEBKIT_DEPS: OsDependency[] = [
  { pkg: "webkit2gtk-driver", paths: [WEBKIT_DRIVER], why: "WebKitWebDriver" },
  { pkg: "xvfb", paths: [XVFB], why: "a virtual X display for WebKitGTK" },
  { pkg: "libwebkit2gtk-4.1-0", paths: [MINIBROWSER], why: "MiniBrowser" },
];

export interface LaunchedWebKit {
  session: WebDriverSession;
  /** WebKitGTK's version, from the session's capabilities (e.g. "2.50.6"). */
  version: string;
  /** What Xvfb, the driver and the browser printed (for failure reports). */
  logs: string[];
  close(): Promise<void>;
}

/** Starts Xvfb on a display it picks itself, and resolves with that display number. */
async function startXvfb(logs: string[]): Promise<{ proc: Managed; display: number }> {
  // -displayfd 3: Xvfb picks a free display and writes its number on fd 3 once it accepts
  // clients (no race with other X servers, no lock-file guessing).
  const child = spawn(XVFB, ["-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp"], { stdio: ["ignore", "pipe", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (d: string) => logs.push(`[xvfb] ${d.trimEnd()}`));
  const proc: Managed = {
    name: "xvfb",
    child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  const fd3 = child.stdio[3] as NodeJS.ReadableStream;
  const display = await new Promise<number>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display within 10 s:\n${logs.join("\n")}`)), 10_000);
    fd3.setEncoding("utf8");
    fd3.on("data", (d: string) => {
      text += d;
      if (text.includes("\n")) {
        clearTimeout(timer);
        resolve(Number(text.trim()));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}) before reporting a display:\n${logs.join("\n")}`));
    });
  }).catch(async (e: unknown) => {
    await proc.stop();
    throw e;
  });
  return { proc, display };
}

/** Launches MiniBrowser (WebKitGTK) under Xvfb through WebKitWebDriver. */
export async function launchWebKit(options: { width?: number; height?: number } = {}): Promise<LaunchedWebKit> {
  const missing = missingOsDependencies(WEBKIT_DEPS).map((d) => d.pkg);
  if (missing.length > 0) throw new MissingOsPackagesError(missing, "The WebKitGTK end-to-end tests need them (npm test installs them when run as root).");

  const logs: string[] = [];
  const xvfb = await startXvfb(logs);
  let driver: Managed | null = null;
  try {
    const port = await freePort();
    driver = startProcess("webkitwebdriver", WEBKIT_DRIVER, [`--port=${port}`, "--host=127.0.0.1"], {
      env: { ...process.env, DISPLAY: `:${xvfb.display}` },
      onLine: (line) => {
        logs.push(`[webdriver] ${line}`);
        if (logs.length > 500) logs.splice(0, 100);
      },
    });
    const driverUrl = `http://127.0.0.1:${port}`;
    await waitFor("WebKitWebDriver to listen", async () => {
      if (driver!.child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver!.child.exitCode}):\n${logs.join("\n")}`);
      const res = await fetch(`${driverUrl}/status`).catch(() => null);
      return res?.ok ? true : undefined;
    }, 10_000);
    const session = await WebDriverSession.create(driverUrl, {
      browserName: "MiniBrowser",
      "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
    });
    await session.setWindowSize(options.width ?? 1280, options.height ?? 900);
    const version = String(session.capabilities["browserVersion"] ?? "unknown");
    const started = driver;
    return {
      session,
      version,
      logs,
      async close() {
        await session.close().catch(() => undefined);
        await started.stop();
        await xvfb.proc.stop();
      },
    };
  } catch (e) {
    await driver?.stop();
    await xvfb.proc.stop();
    throw e;
  }
}
