// Why a camera is offline (issue 11), each reason produced for real against the real stack —
// wrangler dev (workerd, local D1 and DO state), coturn, the real agent — and read on the
// owner's camera page in Chromium: a camera that never connected, the agent stopped (SIGTERM),
// killed (SIGKILL), frozen so its network seems gone (SIGSTOP: the socket stays open, no more
// pings), a frame the edge refuses, a second agent with the same serial, the edge restarted on
// its persisted state while the camera was away, and the vendor revoking the camera. The edge
// runs with DEVICE_HEARTBEAT_SECONDS=2, so "stopped answering" takes ~6 s instead of 90 s.
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { z } from "zod";
import { CameraDiagnosticsSchema, NAT_TYPE_LABELS, PROTOCOL_VERSION, type CameraDiagnostics, type ConnectionEndReason } from "../../protocol/index.ts";
import { doctorMain } from "../../device-agent/src/doctor/index.ts";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { EdgeSession } from "../../scripts/lib/edge-api.ts";
import { REPO_ROOT } from "../../scripts/lib/paths.ts";
import { startProcess, waitFor, type Managed } from "../../scripts/lib/processes.ts";
import { provisionDevice, revokeDevice } from "../../scripts/provision/provision.ts";
import { signIn } from "./support/accounts.ts";
import { startTestStack } from "./support/local-stack.ts";
import { testId } from "./support/pwa.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;
let page: Page;
let owner: EdgeSession;
/** Agents this file started itself (the stack's own are in stack.processes). */
const extra: Managed[] = [];

beforeAll(async () => {
  stack = await startTestStack("offline-reasons", { turn: true, wranglerVars: { DEVICE_HEARTBEAT_SECONDS: "2" } });
  const creds = stack.camera.owner!;
  owner = new EdgeSession(stack.url);
  await owner.signUpOrIn(creds.email, creds.password);
  browser = await launchChromium();
  page = await browser.context.newPage();
  await signIn(page, stack.url, creds.email, creds.password);
});

afterAll(async () => {
  for (const p of extra) await p.stop();
  await browser?.close();
  await stack?.stop();
});

function diagnostics(serial = stack.camera.serial): Promise<CameraDiagnostics> {
  return owner.call("GET", `/api/cameras/${encodeURIComponent(serial)}/diagnostics`, CameraDiagnosticsSchema);
}

/** Waits until the edge has recorded the camera's newest connection as ended for `reason`. */
async function waitForEnd(reason: ConnectionEndReason, timeoutMs = 20_000): Promise<CameraDiagnostics> {
  return waitFor(`the last connection to end as ${reason}`, async () => {
    const d = await diagnostics();
    const last = d.connections[0];
    if (last?.reason && last.reason !== reason) throw new Error(`it ended as ${last.reason} (close ${last.closeCode})`);
    return last?.reason === reason && !d.online ? d : undefined;
  }, timeoutMs, 200);
}

interface PageExplanation {
  reason: string | null;
  headline: string;
  checklist: string[];
  lastOnline: string;
  history: Array<string | null>;
  text: string;
}

/** Opens the camera's page as its owner and reads the "why offline" card. */
async function openCameraPage(serial = stack.camera.serial, online = false): Promise<PageExplanation> {
  await page.goto(`${stack.url}/cameras/${encodeURIComponent(serial)}`);
  const card = page.locator(testId("camera-diagnostics"));
  await page.waitForSelector(`${testId("camera-diagnostics")}[data-online="${online}"]`, { timeout: 20_000 });
  const explanation = page.locator(testId("offline-explanation"));
  const has = (await explanation.count()) > 0;
  return {
    reason: has ? await explanation.getAttribute("data-reason") : null,
    headline: has ? ((await page.locator(testId("offline-headline")).textContent()) ?? "") : "",
    checklist: has ? await page.locator(`${testId("offline-checklist")} li`).allTextContents() : [],
    lastOnline: (await page.locator(testId("last-online")).textContent()) ?? "",
    history: await Promise.all((await page.locator(testId("connection-row")).all()).map((r) => r.getAttribute("data-reason"))),
    text: (await card.textContent()) ?? "",
  };
}

function stackAgent(): Managed {
  const agent = stack.processes.filter((p) => p.name === "agent").at(-1);
  if (!agent) throw new Error("no agent running");
  return agent;
}

async function online(): Promise<boolean> {
  return (await diagnostics()).online;
}

describe("why a camera is offline, on the owner's camera page", () => {
  it("says a camera that never came online has never come online, and how to set it up", async () => {
    const serial = `NEVER-${Date.now().toString(36).toUpperCase()}`;
    const cam = await provisionDevice({ edge: stack.url, vendor: "demo-vendor", serial, name: "Never camera", adminToken: stack.adminToken });
    await owner.call("POST", "/api/cameras", z.unknown(), { serial, accessCode: cam.accessCode });
    const shown = await openCameraPage(serial);
    expect(shown.reason).toBe("never-connected");
    expect(shown.headline).toBe("This camera has never come online");
    expect(shown.checklist[0]).toMatch(/^Check that it is powered and set up with its serial and device token/);
    expect(shown.lastOnline).toBe("Never online");
    expect(shown.history).toEqual([]);
  });

  it("shows the camera's NAT type while it is online, and no offline explanation", async () => {
    const d = await waitFor("the camera's NAT report", async () => ((await diagnostics()).nat ? diagnostics() : undefined), 30_000, 250);
    const shown = await openCameraPage(stack.camera.serial, true);
    expect(shown.reason).toBeNull();
    expect(shown.lastOnline).toBe("Online now");
    expect(await page.locator(testId("camera-nat")).textContent()).toContain(NAT_TYPE_LABELS[d.nat!.natType]);
    expect(shown.history[0]).toBe("open");
  });

  it("says the camera was turned off when its agent stops (SIGTERM: it closes with 1000)", async () => {
    await stackAgent().stop();
    const d = await waitForEnd("clean-stop");
    expect(d.connections[0]).toMatchObject({ reason: "clean-stop", closeCode: 1000 });
    const shown = await openCameraPage();
    expect(shown.reason).toBe("clean-stop");
    expect(shown.headline).toBe("The camera was turned off or its software stopped");
    expect(shown.lastOnline).toMatch(/^Last online (just now|1 min ago)$/);
    expect(shown.history[0]).toBe("clean-stop");
  });

  it("says the connection dropped when the agent is killed (SIGKILL: no close frame, 1006)", async () => {
    const agent = await stack.startAgent();
    agent.child.kill("SIGKILL");
    await agent.exited;
    const d = await waitForEnd("connection-lost");
    expect(d.connections[0]!.closeCode).toBe(1006);
    const shown = await openCameraPage();
    expect(shown.reason).toBe("connection-lost");
    expect(shown.headline).toBe("The camera's connection dropped");
    expect(shown.checklist.join(" ")).toMatch(/power.*Wi-Fi or network cable.*router.*internet/);
  });

  it("says the camera stopped answering when its network goes silent (SIGSTOP: socket open, no pings) — closed 4408 after 3 missed pings", async () => {
    const agent = await stack.startAgent();
    const stoppedAt = Date.now();
    agent.child.kill("SIGSTOP");
    try {
      const d = await waitForEnd("stopped-answering", 30_000);
      const c = d.connections[0]!;
      expect(c.closeCode).toBe(4408);
      // 3 × 2 s of silence, then the alarm that noticed it.
      expect(Date.parse(c.endedAt!) - Date.parse(c.lastSeenAt!)).toBeGreaterThanOrEqual(6_000);
      expect(Date.parse(c.endedAt!) - stoppedAt).toBeLessThan(15_000);
      const shown = await openCameraPage();
      expect(shown.reason).toBe("stopped-answering");
      expect(shown.headline).toBe("The camera stopped answering");
      expect(shown.checklist[0]).toMatch(/power/);
    } finally {
      agent.child.kill("SIGKILL");
      agent.child.kill("SIGCONT");
      await agent.exited;
    }
  });

  it("says Porthole could not understand the camera when it sends a frame the edge refuses (1008)", async () => {
    const ws = new WebSocket(`${stack.url.replace(/^http/, "ws")}/ws/device/${encodeURIComponent(stack.camera.serial)}`, { headers: { authorization: `Bearer ${stack.camera.token}` } });
    await new Promise<void>((resolve, reject) => (ws.once("open", () => resolve()), ws.once("error", reject)));
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, agent: { version: "0.0.1", source: "e2e", videoCodecs: ["VP8"], audio: false } }));
    ws.send("{this is not json");
    expect(await closed).toBe(1008);
    await waitForEnd("protocol-error");
    const shown = await openCameraPage();
    expect(shown.reason).toBe("protocol-error");
    expect(shown.checklist[0]).toBe("Update the camera's software (firmware).");
  });

  it("lists a connection replaced by a second agent with the same serial (4000), the camera staying online", async () => {
    const first = await stack.startAgent();
    const second = startProcess(
      "agent-2",
      process.execPath,
      [path.join(REPO_ROOT, "device-agent", "src", "cli.ts"), "--edge", stack.url, "--serial", stack.camera.serial, "--source", "demo", "--name", "Demo camera", "--data-dir", `${stack.agentDataDir}-2`],
      { cwd: REPO_ROOT, env: { ...process.env, PORTHOLE_DEVICE_TOKEN: stack.camera.token }, onLine: (line) => stack.logs.push(`[agent-2] ${line}`) },
    );
    extra.push(second);
    // The first agent is told it was replaced and stops for good.
    expect(await first.exited).not.toBe(0);
    await waitFor("the replacement to be online with the old connection ended", async () => {
      const d = await diagnostics();
      return d.online && d.connections[1]?.reason === "replaced" ? d : undefined;
    }, 20_000, 200);
    const shown = await openCameraPage(stack.camera.serial, true);
    expect(shown.reason).toBeNull();
    expect(shown.history.slice(0, 2)).toEqual(["open", "replaced"]);
    expect(shown.text).toContain("Replaced by another connection");
    await second.stop();
    await waitForEnd("clean-stop");
  });

  it("says Porthole's service restarted when the edge lost the camera's socket in a restart (same persisted state)", async () => {
    const agent = await stack.startAgent();
    await stack.stopEdge();
    // The camera goes away while the edge is down: nobody is left to tell the edge how it ended.
    agent.child.kill("SIGKILL");
    await agent.exited;
    await stack.startEdge();
    const d = await waitForEnd("edge-restart");
    expect(d.connections[0]!.closeCode).toBeNull();
    const shown = await openCameraPage();
    expect(shown.reason).toBe("edge-restart");
    expect(shown.headline).toBe("Porthole's service restarted");
    expect(shown.checklist[0]).toBe("It should reconnect within a minute on its own.");
  });

  it("shows the camera's last doctor run; a failed upload or --no-report leaves the exit code alone", async () => {
    await stack.startAgent();
    const argv = ["--edge", stack.url, "--serial", stack.camera.serial];
    const env = { PORTHOLE_DEVICE_TOKEN: stack.camera.token };
    let text = "";
    const exitCode = await doctorMain(argv, env, { stdout: (t) => (text += t), stderr: (t) => (text += t) });
    expect(text).toContain("Sent this result to the edge");
    expect(text).not.toContain(stack.camera.token);

    let failedText = "";
    const failing = (input: string, init?: RequestInit) => (input.endsWith("/doctor/report") ? Promise.reject(new TypeError("fetch failed")) : fetch(input, init));
    expect(await doctorMain(argv, env, { stdout: (t) => (failedText += t), stderr: (t) => (failedText += t) }, { fetch: failing })).toBe(exitCode);
    expect(failedText).toMatch(/Could not send this result to the edge/);
    let quiet = "";
    expect(await doctorMain([...argv, "--no-report"], env, { stdout: (t) => (quiet += t), stderr: (t) => (quiet += t) })).toBe(exitCode);
    expect(quiet).not.toMatch(/result to the edge/);

    const d = await diagnostics();
    const fails = d.doctor!.checks.filter((c) => c.status === "fail").length;
    expect(JSON.stringify(d.doctor)).not.toContain(stack.camera.token);
    await openCameraPage(stack.camera.serial, true);
    const summary = (await page.locator(testId("doctor-summary")).textContent()) ?? "";
    expect(summary).toMatch(new RegExp(`^Doctor, run (just now|1 min ago): \\d+ pass, \\d+ warn, ${fails} fail(, \\d+ skipped)? — `));
  });

  it("sends the owner to the vendor when the vendor revokes the camera (4403)", async () => {
    const agent = stackAgent();
    expect(await online()).toBe(true);
    await revokeDevice({ edge: stack.url, vendor: "demo-vendor", adminToken: stack.adminToken, serial: stack.camera.serial });
    // The agent hears it was revoked and stops for good.
    await agent.exited;
    const d = await waitForEnd("token-revoked");
    expect(d).toMatchObject({ revoked: true });
    expect(d.connections[0]!.closeCode).toBe(4403);
    const shown = await openCameraPage();
    expect(shown.reason).toBe("revoked");
    expect(shown.headline).toBe("This camera was revoked by its vendor");
    expect(shown.checklist).toEqual(["Contact the camera's vendor (its maker or seller): only they can restore it."]);
    expect(shown.history[0]).toBe("token-revoked");
  });
});
