// Session reports end to end on the local stack (edge in workerd with local D1, the demo agent,
// a local coturn, Debian's Chromium): each session the PWA runs tells the edge at its end how
// far it got, over which path and how fast; the owner's history shows it with the explanation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { SessionRecord, SessionRecordList } from "../../protocol/index.ts";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { waitFor } from "../../scripts/lib/processes.ts";
import { RELAY_REASONS } from "../../web/src/lib/relay-reason.ts";
import { signIn } from "./support/accounts.ts";
import { startTestStack } from "./support/local-stack.ts";
import { connect, readState, testId, waitForFirstFrame } from "./support/pwa.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;
let ownerCookie: string;

beforeAll(async () => {
  stack = await startTestStack("session-report", { turn: true });
  expect(stack.coturn, "coturn (Debian package `coturn`) must be installed for this test").toBeDefined();
  expect(stack.camera.owner, "the local stack's demo camera has an owner").toBeDefined();
  browser = await launchChromium();
  const res = await fetch(`${stack.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: stack.camera.owner!.email, password: stack.camera.owner!.password }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  ownerCookie = res.headers.getSetCookie().map((c) => c.split(";", 1)[0]).join("; ");
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The owner's view of one session, once its report has arrived. */
async function reportedSession(sessionId: string): Promise<SessionRecord> {
  return waitFor(
    `the edge to store the report of ${sessionId}`,
    async () => {
      const res = await fetch(`${stack.url}/api/cameras/${stack.camera.serial}/sessions`, { headers: { cookie: ownerCookie } });
      if (!res.ok) throw new Error(`session history: HTTP ${res.status} ${await res.text()}`);
      const { sessions } = (await res.json()) as SessionRecordList;
      const s = sessions.find((x) => x.sessionId === sessionId);
      return s?.report?.final ? s : undefined;
    },
    10_000,
  );
}

async function withPage<T>(fn: (page: Page, lines: string[]) => Promise<T>): Promise<T> {
  const page = await browser.context.newPage();
  const lines: string[] = [];
  page.on("console", (msg) => lines.push(`[console.${msg.type()}] ${msg.text()}`));
  page.on("pageerror", (err) => lines.push(`[pageerror] ${err.message}`));
  try {
    return await fn(page, lines);
  } catch (error) {
    console.error(`${lines.slice(-30).join("\n")}\n--- stack ---\n${stack.logs.slice(-60).join("\n")}`);
    throw error;
  } finally {
    if (!page.isClosed()) await page.close();
  }
}

const sessionIdOf = (page: Page) => page.evaluate(() => (window as unknown as { __porthole: { sessionId: string } }).__porthole.sessionId);

describe("session reports", () => {
  it("stores a LAN session's report with path lan, its time to first frame per phase and the viewer's NAT", async () => {
    await withPage(async (page) => {
      await page.goto(stack.url);
      // The connection test's last verdict, as web/src/nat/viewer-nat-cache.ts keeps it.
      await page.evaluate(() =>
        localStorage.setItem(
          "porthole.viewerNat",
          JSON.stringify({ side: { mapping: "endpoint-independent", filtering: "address-and-port-dependent", udpBlocked: false }, verdict: "port-restricted-cone", at: Date.now(), fingerprint: null }),
        ),
      );
      await connect(page, stack.camera.serial, stack.camera.accessCode);
      const state = await waitForFirstFrame(page);
      await page.waitForFunction(() => (window as unknown as { __porthole: { pathKind?: string } }).__porthole.pathKind === "lan", undefined, { timeout: 5000 });
      expect(await page.locator(testId("session-explanation")).textContent()).toBe("Direct over your local network: the camera and this device are on the same network.");
      const sessionId = await sessionIdOf(page);
      await page.click(testId("disconnect-button"));

      const { report, path } = await reportedSession(sessionId);
      expect(path).toBe("lan");
      expect(report).toMatchObject({ outcome: "ok", stage: "live", cause: null, path: "lan", firstPath: "lan", browser: "chromium", forcedRelay: false, viewerNatType: "port-restricted-cone", predictedPath: "lan", predictionReason: "same-network" });
      const pageTtff = (state.timings.firstFrameAt ?? 0) - (state.timings.clickAt ?? 0);
      expect(report!.ttff.totalMs).toBeGreaterThan(0);
      expect(Math.abs(report!.ttff.totalMs! - pageTtff)).toBeLessThanOrEqual(1);
      const { signalingMs, iceMs, dtlsMs, firstFrameMs } = report!.ttff;
      expect(signalingMs! + iceMs! + dtlsMs! + firstFrameMs!).toBeGreaterThanOrEqual(report!.ttff.totalMs! - 4);
      expect(report!.durationMs).toBeGreaterThanOrEqual(report!.ttff.totalMs!);
      console.log(`LAN report: TTFF ${report!.ttff.totalMs} ms = ${signalingMs} + ${iceMs} + ${dtlsMs} + ${firstFrameMs}`);
    });
  });

  it("explains a forced-relay session in the page and in the owner's session history", async () => {
    const sessionId = await withPage(async (page) => {
      await page.goto(`${stack.url}/?relay=1`);
      await connect(page, stack.camera.serial, stack.camera.accessCode);
      await waitForFirstFrame(page);
      await page.waitForFunction(() => (window as unknown as { __porthole: { pathKind?: string } }).__porthole.pathKind === "relay", undefined, { timeout: 5000 });
      expect(await page.locator(testId("relay-reason")).textContent()).toBe(RELAY_REASONS.forced);
      const id = await sessionIdOf(page);
      // Leaving the page (no Disconnect): the report goes out on pagehide.
      await page.close({ runBeforeUnload: true });
      return id;
    });

    const { report } = await reportedSession(sessionId);
    expect(report).toMatchObject({ outcome: "ok", stage: "live", path: "relay", forcedRelay: true, relayTransport: "udp" });

    await withPage(async (page) => {
      await signIn(page, stack.url, stack.camera.owner!.email, stack.camera.owner!.password);
      await page.goto(`${stack.url}/cameras/${stack.camera.serial}`);
      const row = page.locator(`${testId("session-row")}[data-session-id="${sessionId}"]`);
      await row.waitFor({ timeout: 10_000 });
      expect(await row.locator(testId("session-outcome")).textContent()).toBe("OK");
      expect(await row.locator(testId("session-ttff")).textContent()).toMatch(/TTFF \d+ ms/);
      expect(await row.locator(testId("session-explanation")).textContent()).toBe(RELAY_REASONS.forced);
      // Signed out again, so the next session watches with the access code as before.
      await page.click(testId("signout-button"));
      await page.waitForSelector(testId("auth-tab-signin"), { timeout: 10_000 });
    });
  });

  it("stores the stage and cause of a session whose camera went away after the grant", async () => {
    const agent = stack.processes.find((p) => p.name === "agent");
    expect(agent, "the stack runs the demo agent").toBeDefined();
    await withPage(async (page) => {
      await page.goto(stack.url);
      // The edge grants the session while the camera is online; the camera stops before the
      // page opens its signaling socket.
      await page.route("**/api/sessions", async (route) => {
        const response = await route.fetch();
        await agent!.stop();
        await route.fulfill({ response });
      });
      await connect(page, stack.camera.serial, stack.camera.accessCode);
      await page.waitForFunction(() => Boolean((window as unknown as { __porthole: { error?: unknown } }).__porthole.error), undefined, { timeout: 30_000 });
      const state = await readState(page);
      const sessionId = await sessionIdOf(page);
      const explanation = await page.locator(testId("session-explanation")).textContent();
      expect(explanation).toMatch(new RegExp(`^Failed at the signaling stage \\(${state.error!.code}\\)`));

      const { report } = await reportedSession(sessionId);
      expect(report).toMatchObject({ outcome: "failed", stage: "signaling", cause: state.error!.code, path: null });
      expect(report!.ttff.totalMs).toBeNull();
      console.log(`failed session: ${state.error!.code} at signaling`);
    });
    await stack.startAgent();
  });

  it("stores a session whose ICE cannot complete as failed at ICE, with its cause and the viewer's NAT", async () => {
    // Relay-only ICE with the relay gone: no candidate pair can ever form.
    await stack.coturn!.stop();
    await withPage(async (page) => {
      await page.goto(`${stack.url}/?relay=1`);
      await page.evaluate(() =>
        localStorage.setItem(
          "porthole.viewerNat",
          JSON.stringify({ side: { mapping: "address-and-port-dependent", filtering: "address-and-port-dependent", udpBlocked: false }, verdict: "symmetric", at: Date.now(), fingerprint: null }),
        ),
      );
      await connect(page, stack.camera.serial, stack.camera.accessCode);
      await page.waitForFunction(() => Boolean((window as unknown as { __porthole: { error?: unknown } }).__porthole.error), undefined, { timeout: 40_000 });
      const state = await readState(page);
      const sessionId = await sessionIdOf(page);
      expect(await page.locator(testId("stage-ice")).getAttribute("data-state")).toBe("failed");
      expect(await page.locator(testId("session-explanation")).textContent()).toMatch(
        new RegExp(`^Failed at the ICE stage \\(${state.error!.code}\\): neither a direct path nor a relay answered.* Only the relay was tried \\(\\?relay=1\\), and it did not answer\\.`),
      );

      const { report } = await reportedSession(sessionId);
      expect(report).toMatchObject({ outcome: "failed", stage: "ice", cause: state.error!.code, path: null, forcedRelay: true, viewerNatType: "symmetric" });
      expect(report!.ttff.signalingMs).toBeGreaterThan(0);
      expect(report!.ttff.iceMs).toBeNull();
      console.log(`ICE failure: ${state.error!.code}, camera NAT ${report!.cameraNatType ?? "unknown"}, predicted ${report!.predictedPath} (${report!.predictionReason})`);
    });
  });
});
