// Forced relay end to end: the PWA opened with ?relay=1 (iceTransportPolicy "relay") watches the
// demo camera through a real local coturn, with TURN REST credentials minted by the edge for
// this session. Loopback peers are allowed on THIS coturn only, because the agent and Chromium
// both sit on 127.0.0.1 (the shipped config refuses them: coturn-policy.e2e.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { waitFor } from "../../scripts/lib/processes.ts";
import { startTestStack } from "./support/local-stack.ts";
import { RELAY_REASONS } from "../../web/src/lib/relay-reason.ts";
import { connect, readState, testId, waitForFirstFrame } from "./support/pwa.ts";
import { sampleVideoFrame } from "./support/video-frame.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;

beforeAll(async () => {
  stack = await startTestStack("relay", { turn: true });
  expect(stack.coturn, "coturn (Debian package `coturn`) must be installed for this test").toBeDefined();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("forced relay (?relay=1) in Chromium", () => {
  it("plays the camera through the TURN relay and says why the path is relayed", async () => {
    const page = await browser.context.newPage();
    const lines: string[] = [];
    page.on("console", (msg) => lines.push(`[console.${msg.type()}] ${msg.text()}`));
    try {
      await page.goto(`${stack.url}/?relay=1`);
      await connect(page, stack.camera.serial, stack.camera.accessCode);
      const state = await waitForFirstFrame(page);
      const ttff = (state.timings.firstFrameAt ?? 0) - (state.timings.clickAt ?? 0);

      const frame = await sampleVideoFrame(page, testId("video"));
      expect(frame.stddev).toBeGreaterThan(20);
      expect(frame.buckets).toBeGreaterThan(5);

      await page.waitForFunction(() => Boolean((window as unknown as { __porthole?: { pathKind?: string } }).__porthole?.pathKind), undefined, { timeout: 5000 });
      const withPath = (await readState(page)) as Awaited<ReturnType<typeof readState>> & { relayReason?: string | null };
      expect(withPath.pathKind).toBe("relay");
      expect(withPath.relayReason).toBe(RELAY_REASONS.forced);
      expect(await page.locator(testId("path-label")).textContent()).toMatch(/Relay/);
      expect(await page.locator(testId("relay-reason")).textContent()).toBe(RELAY_REASONS.forced);
      // People read it in the live bar's plain status line.
      expect(await page.textContent(testId("live-status"))).toBe("Live · via relay");

      // The edge minted this session's credentials: coturn saw an allocation for "<exp>:<sid>".
      const sessionId = (await page.evaluate(() => (window as unknown as { __porthole: { sessionId: string } }).__porthole.sessionId)) as string;
      expect(stack.coturn!.log()).toMatch(new RegExp(`username=<\\d+:${sessionId}>`));
      console.log(`relayed TTFF ${Math.round(ttff)} ms`);

      // Leaving ends the session; the agent releases its allocation (Refresh lifetime 0) at once.
      await page.click(testId("disconnect-button")).catch(() => page.close());
      // The camera got its own credential ("<exp>:<sid>.cam") and relay candidate from the edge.
      await waitFor(
        "the agent to release its TURN allocation",
        async () => (new RegExp(`refreshed, realm=<[^>]*>, username=<\\d+:${sessionId}\\.cam>, lifetime=0`).test(stack.coturn!.log()) ? true : undefined),
        5000,
      );
    } catch (error) {
      console.error(`${lines.slice(-30).join("\n")}\n--- stack ---\n${stack.logs.slice(-60).join("\n")}`);
      throw error;
    } finally {
      if (!page.isClosed()) await page.close();
    }
  });
});
