// Why: the README's "When it doesn't connect" pictures must show what the PWA really says, so they
// are taken from the real stack rather than drawn: `npm run docs:screenshots` starts a local
// stack (wrangler dev, coturn, the demo camera), runs the camera's doctor, then freezes the agent
// (SIGSTOP: its socket stays open and silent, as when a camera's network goes away) until the edge
// records "stopped answering", and photographs the owner's camera page. The connection test and a
// relayed session are photographed in the NAT lab (`npm run lab -- --only sym:prc --screenshots docs`),
// where real NATs decide the path.
import path from "node:path";
import { CameraDiagnosticsSchema } from "../protocol/index.ts";
import { doctorMain } from "../device-agent/src/doctor/index.ts";
import { launchChromium } from "./lib/chromium.ts";
import { EdgeSession } from "./lib/edge-api.ts";
import { REPO_ROOT, TMP_DIR } from "./lib/paths.ts";
import { waitFor } from "./lib/processes.ts";
import { startStack } from "./lib/stack.ts";

async function main(): Promise<void> {
  const dir = path.join(TMP_DIR, `screenshots-${process.pid}-${Date.now()}`);
  const stack = await startStack({
    port: 0,
    persistDir: path.join(dir, "state"),
    demoFile: path.join(dir, "demo-camera.json"),
    buildWeb: "always",
    agentSource: "demo",
    turn: true,
    // "Stopped answering" after 3 missed pings: 6 s here instead of production's 90 s.
    wranglerVars: { DEVICE_HEARTBEAT_SECONDS: "2" },
    log: (l) => console.log(l),
  });
  const browser = await launchChromium({ viewport: { width: 1100, height: 900 } });
  const agent = stack.processes.filter((p) => p.name === "agent").at(-1);
  try {
    const creds = stack.camera.owner;
    if (!creds || !agent) throw new Error("the stack started without a demo owner or agent");
    // The doctor's summary, as a camera's support flow would leave it on the page.
    const argv = ["--edge", stack.url, "--serial", stack.camera.serial];
    await doctorMain(argv, { PORTHOLE_DEVICE_TOKEN: stack.camera.token }, { stdout: () => {}, stderr: () => {} });
    agent.child.kill("SIGSTOP");
    const owner = new EdgeSession(stack.url);
    await owner.signUpOrIn(creds.email, creds.password);
    await waitFor("the edge to record the camera as stopped answering", async () => {
      const d = await owner.call("GET", `/api/cameras/${encodeURIComponent(stack.camera.serial)}/diagnostics`, CameraDiagnosticsSchema);
      return !d.online && d.connections[0]?.reason === "stopped-answering" ? true : undefined;
    }, 30_000, 250);
    const page = await browser.context.newPage();
    await page.goto(stack.url);
    await page.click('[data-testid="auth-tab-signin"]');
    await page.fill('[data-testid="email-input"]', creds.email);
    await page.fill('[data-testid="password-input"]', creds.password);
    await page.click('[data-testid="signin-button"]');
    await page.waitForSelector('[data-testid="signout-button"]');
    await page.goto(`${stack.url}/cameras/${encodeURIComponent(stack.camera.serial)}`);
    await page.waitForSelector('[data-testid="offline-explanation"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="doctor-summary"]', { timeout: 15_000 });
    const out = path.join(REPO_ROOT, "docs", "offline-explanation.png");
    await page.locator('[data-testid="camera-diagnostics"]').screenshot({ path: out });
    console.log(`wrote ${path.relative(REPO_ROOT, out)}`);
  } finally {
    agent?.child.kill("SIGCONT");
    await browser.close();
    await stack.stop();
  }
}

if (import.meta.main) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(`docs:screenshots failed: ${(e as Error).stack ?? String(e)}`);
      process.exit(1);
    },
  );
}
