// "Test my connection" in Chromium against the local stack: the real edge (wrangler dev), a real
// coturn on 127.0.0.1 that also answers on 127.0.0.2 (the region's altStun) and the demo camera's
// agent on the same host. On loopback there is no NAT, so the page must find the edge, its
// WebSocket and the UDP and TCP relays working, a mapping with no translation (or at worst one
// that stays put), and — since camera and browser share one address — predict the LAN path.
// The copied report must carry no full address, no TURN credential and no session token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { CONNECTION_TEST_PATH, ConnectionTestResponseSchema } from "../../protocol/connection-test.ts";
import { claimCamera, signUp, uniqueEmail } from "./support/accounts.ts";
import { startTestStack } from "./support/local-stack.ts";
import { testId } from "./support/pwa.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;

beforeAll(async () => {
  stack = await startTestStack("connection-test", { turn: true, demoOwner: false });
  expect(stack.coturn, "coturn (Debian package `coturn`) must be installed for this test").toBeDefined();
  browser = await launchChromium();
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.url });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const attrs = (page: import("playwright-core").Page) =>
  page.locator(testId("connection-test")).evaluate((el) => Object.fromEntries([...el.attributes].filter((a) => a.name.startsWith("data-")).map((a) => [a.name, a.value])));

describe("Test my connection in Chromium", () => {
  it("passes the edge, WebSocket, UDP and TCP relays, finds no NAT on loopback, predicts LAN for the local camera, and copies a redacted report", async () => {
    const page = await browser.context.newPage();
    const lines: string[] = [];
    page.on("console", (msg) => lines.push(`[console.${msg.type()}] ${msg.text()}`));
    try {
      await signUp(page, stack.url, uniqueEmail("conntest"));
      await claimCamera(page, stack.camera.serial, stack.camera.accessCode);
      // The camera page links to the test for this camera, in its connection details (the "i").
      await page.click(testId("details-toggle"));
      await page.click(testId("camera-connection-test-link"));
      await page.waitForURL(`**/test?camera=${stack.camera.serial}`);
      await page.waitForSelector(`${testId("connection-test")}[data-state="done"]`, { timeout: 30_000 });
      const a = await attrs(page);
      console.log(`connection test: ${JSON.stringify(a)}`);

      expect(a["data-edge"]).toBe("pass");
      expect(a["data-websocket"]).toBe("pass");
      expect(a["data-relay-udp"]).toBe("pass");
      expect(a["data-relay-tcp"]).toBe("pass");
      // The local coturn runs with --no-tls (no certificate on a dev host), so the edge offers no
      // turns: URL and the page tests no TLS relay (the NAT lab's coturn has TLS).
      expect(a["data-relay-tls"]).toBeUndefined();
      expect(a["data-udp-blocked"]).toBe("false");
      // Loopback: the STUN servers see the host's own address — no translation, nothing filtered.
      expect(["none", "endpoint-independent"]).toContain(a["data-nat-mapping"]);
      expect(a["data-nat-filtering"]).toBe("endpoint-independent");
      expect(["open-internet", "full-cone"]).toContain(a["data-nat-type"]);
      expect(a["data-same-network"]).toBe("true");
      expect(a["data-predicted-path"]).toBe("lan");
      expect(a["data-prediction-reason"]).toBe("same-network");
      expect(await page.locator(testId("network-verdict")).textContent()).toMatch(/cameras can reach you directly/);
      expect(await page.locator(testId("predicted-path")).textContent()).toBe("Direct, over your local network");

      // The NAT cache for session reports holds this verdict.
      const cached = await page.evaluate(() => JSON.parse(localStorage.getItem("porthole.viewerNat") ?? "null") as { verdict: string; fingerprint: string | null } | null);
      expect(cached?.verdict).toBe(a["data-nat-type"]);

      await page.click(testId("copy-report"));
      await page.waitForSelector(testId("report-copied"));
      const clip = await page.evaluate(() => navigator.clipboard.readText());
      const shown = await page.locator(testId("report-text")).inputValue();
      expect(clip).toBe(shown);
      console.log(`report:\n${clip}`);
      expect(clip).toMatch(/Edge HTTPS: pass/);
      expect(clip).toMatch(/Relay UDP: pass/);
      expect(clip).toMatch(/Predicted path: lan/);
      // No full address of any kind: 127.0.0.1, the host's own, the camera's.
      expect(clip).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
      // No TURN credential or username the edge hands out, and no session token.
      const fresh = ConnectionTestResponseSchema.parse(
        await page.evaluate(async (path) => (await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json(), CONNECTION_TEST_PATH),
      );
      const cred = fresh.relays[0]!;
      expect(clip).not.toContain(cred.credential);
      expect(clip).not.toContain(cred.username.split(":")[1]!);
      expect(clip).not.toMatch(/:\w{8,}\.test\b/);
      for (const c of await browser.context.cookies()) expect(clip).not.toContain(c.value);
      expect(clip).not.toContain(stack.camera.accessCode);
    } catch (error) {
      console.error(`${lines.slice(-30).join("\n")}\n--- stack ---\n${stack.logs.slice(-40).join("\n")}`);
      throw error;
    } finally {
      await page.close();
    }
  });

  it("runs the edge checks signed out and asks to sign in for the network part", async () => {
    const page = await browser.context.newPage();
    await browser.context.clearCookies();
    try {
      await page.goto(`${stack.url}/test`);
      await page.waitForSelector(`${testId("connection-test")}[data-state="done"]`, { timeout: 20_000 });
      const a = await attrs(page);
      expect(a["data-edge"]).toBe("pass");
      expect(a["data-websocket"]).toBe("pass");
      expect(a["data-nat-type"]).toBeUndefined();
      expect(await page.locator(testId("connection-test-note")).first().textContent()).toMatch(/Sign in to test the relays/);
    } finally {
      await page.close();
    }
  });
});
