// Accounts, sharing and revocation on real parts: two people in two Chromium profiles (two
// cookie jars), the edge in workerd with local D1, and the demo camera's agent. The demo camera
// starts unclaimed (demoOwner: false) so the first person can claim it through the PWA.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { claimCamera, openCamera, revokeShare, shareCamera, signedInAs, signUp, uniqueEmail, waitForError } from "./support/accounts.ts";
import { startTestStack } from "./support/local-stack.ts";
import { readState, testId, waitForFirstFrame } from "./support/pwa.ts";
import { fingerprintDistance, frameFingerprint, playbackProgress, sampleVideoFrame } from "./support/video-frame.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browserA: LaunchedBrowser;
let browserB: LaunchedBrowser;
let pageA: Page;
let pageB: Page;
const emailA = uniqueEmail("owner");
const emailB = uniqueEmail("friend");
const pageLogs: string[] = [];

beforeAll(async () => {
  stack = await startTestStack("accounts", { demoOwner: false });
  if (stack.camera.owner) throw new Error("the accounts e2e needs an unclaimed demo camera (startTestStack with demoOwner: false)");
  // Two profiles: each has its own cookies, like two people on two phones.
  [browserA, browserB] = await Promise.all([launchChromium(), launchChromium({ viewport: { width: 390, height: 844 } })]);
  pageA = await browserA.context.newPage();
  pageB = await browserB.context.newPage();
  for (const [who, page] of [["A", pageA], ["B", pageB]] as const) {
    page.on("console", (m) => pageLogs.push(`[${who} console.${m.type()}] ${m.text()}`));
    page.on("pageerror", (e) => pageLogs.push(`[${who} pageerror] ${e.message}`));
  }
});

afterAll(async () => {
  await browserA?.close();
  await browserB?.close();
  await stack?.stop();
});

/** Runs a step; on failure prints what both pages and the stack said. */
async function step<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    console.error(`${pageLogs.slice(-40).join("\n")}\n--- stack logs ---\n${stack.logs.slice(-60).join("\n")}`);
    throw error;
  }
}

async function framesAdvance(page: Page, ms = 1000): Promise<number> {
  const before = await playbackProgress(page, testId("video"));
  await page.waitForTimeout(ms);
  const after = await playbackProgress(page, testId("video"));
  return after.frames - before.frames;
}

describe("accounts, sharing and revocation in Chromium", () => {
  it("signs up, claims the demo camera and watches it", async () => {
    await step(async () => {
      // B needs an account before A can share with it.
      await signUp(pageB, stack.url, emailB);
      await signUp(pageA, stack.url, emailA);
      expect(await signedInAs(pageA)).toBe(emailA);
      await claimCamera(pageA, stack.camera.serial, stack.camera.accessCode);
      expect(new URL(pageA.url()).pathname).toBe(`/cameras/${stack.camera.serial}`);

      // The camera page plays at once: signed in, no access code needed.
      await waitForFirstFrame(pageA);
      const frame = await sampleVideoFrame(pageA, testId("video"));
      expect(frame.width).toBeGreaterThanOrEqual(320);
      expect(frame.stddev).toBeGreaterThan(20);
      expect(frame.buckets).toBeGreaterThan(5);
    });
  });

  it("lists the claimed camera under My cameras with its role", async () => {
    await step(async () => {
      const list = await browserA.context.newPage();
      try {
        await list.goto(stack.url);
        const item = list.locator(testId(`camera-item-${stack.camera.serial}`));
        await item.waitFor({ state: "visible", timeout: 10_000 });
        expect(await item.locator(testId("camera-role")).textContent()).toBe("Owner");
        expect(await item.getAttribute("data-online")).toBe("true");
      } finally {
        await list.close();
      }
    });
  });

  it("shares with a second account, who watches in a second browser", async () => {
    await step(async () => {
      await shareCamera(pageA, emailB, "viewer");
      await pageB.goto(stack.url);
      await openCamera(pageB, stack.camera.serial);
      await waitForFirstFrame(pageB);
      expect(await pageB.locator(testId("settings-panel")).count()).toBe(0); // viewers get no settings
      expect(await framesAdvance(pageB)).toBeGreaterThan(5);
    });
  });

  it("revokes the share: the second viewer's video stops within 5 s, the owner's keeps playing", async () => {
    await step(async () => {
      expect(await framesAdvance(pageA, 500)).toBeGreaterThan(2);
      const revokedAt = Date.now();
      await revokeShare(pageA, emailB);

      const state = await waitForError(pageB, "access_revoked", 5_000);
      expect(Date.now() - revokedAt).toBeLessThan(5_000);
      expect(state.stage).toBe("failed");
      expect(await pageB.locator(testId("error-message")).textContent()).toMatch(/stopped sharing/);
      // The picture is gone, not frozen: no stream on the element and no new frames.
      expect(await pageB.$eval(testId("video"), (v) => (v as HTMLVideoElement).srcObject === null)).toBe(true);
      expect(await framesAdvance(pageB)).toBeLessThanOrEqual(0);

      // The owner's session is untouched.
      expect((await readState(pageA)).error ?? null).toBeNull();
      expect(await framesAdvance(pageA)).toBeGreaterThan(5);
      const before = await frameFingerprint(pageA, testId("video"));
      await pageA.waitForTimeout(500);
      expect(fingerprintDistance(before, await frameFingerprint(pageA, testId("video")))).toBeGreaterThan(0.1);
    });
  });

  it("no longer lists the camera for the revoked account", async () => {
    await step(async () => {
      await pageB.goto(stack.url);
      await pageB.waitForSelector(`${testId("camera-list-empty")}, ${testId("camera-list")}`, { timeout: 10_000 });
      expect(await pageB.locator(testId(`camera-item-${stack.camera.serial}`)).count()).toBe(0);
    });
  });

  it("tells a viewer over the camera's limit how many are watching, and offers to retry", async () => {
    await step(async () => {
      await shareCamera(pageA, emailB, "guest");
      await pageA.selectOption(testId("settings-max-viewers"), "1");
      await pageA.waitForSelector(`${testId("settings-max-viewers")}:not([disabled])`);
      await pageA.waitForFunction(() => (document.querySelector('[data-testid="settings-max-viewers"]') as HTMLSelectElement | null)?.value === "1");
      // A fresh session for the owner, so the one slot is certainly taken at the hub.
      await pageA.click(testId("disconnect-button"));
      await pageA.click(testId("watch-button"));
      await waitForFirstFrame(pageA);
      const presence = (await (await fetch(`${stack.url}/api/devices/${stack.camera.serial}`)).json()) as { viewers: number };
      expect(presence.viewers, "the hub should count the owner's session").toBe(1);

      await pageB.goto(stack.url);
      await openCamera(pageB, stack.camera.serial);
      const state = await waitForError(pageB, "device_busy", 15_000);
      expect(state.error?.message).toMatch(/1 of 1 viewers/);
      expect(await pageB.locator(testId("error-message")).textContent()).toMatch(/The camera already has 1 of 1 viewers\./);
      await pageB.locator(testId("retry-button")).waitFor({ state: "visible" });

      // The owner leaves; B's retry now gets the slot.
      await pageA.click(testId("disconnect-button"));
      await pageB.click(testId("retry-button"));
      await waitForFirstFrame(pageB);
    });
  });

  it("keeps a viewer's slot past the hub's 15 s heartbeat timeout, because the PWA pings", async () => {
    await step(async () => {
      // B is watching (the retry above). A viewer silent for 15 s is dropped at the hub's next
      // 5 s heartbeat check, so 22 s is past the latest moment a silent viewer could last.
      await pageB.waitForTimeout(22_000);
      const state = await readState(pageB);
      expect(state.error ?? null).toBeNull();
      expect((state as { signaling?: string }).signaling).toBe("open");
      const presence = (await (await fetch(`${stack.url}/api/devices/${stack.camera.serial}`)).json()) as { viewers: number };
      expect(presence.viewers).toBe(1);
    });
  });

  it("shows the owner who watched, with the path each session took", async () => {
    await step(async () => {
      const sessions = await pageA.evaluate(async (serial) => {
        const res = await fetch(`/api/cameras/${serial}/sessions`);
        return (await res.json()) as { sessions: { email: string | null; path: string | null }[] };
      }, stack.camera.serial);
      const friend = sessions.sessions.filter((s) => s.email === emailB);
      expect(friend.length).toBeGreaterThanOrEqual(2);
      // The PWA reports the classified path once per session ({type:"path"}).
      expect(friend.some((s) => s.path === "lan")).toBe(true);
      await pageA.reload();
      await pageA.locator(testId("session-row")).first().waitFor({ state: "visible", timeout: 10_000 });
      expect(await pageA.locator(testId("session-history")).textContent()).toContain(emailB);
    });
  });
  it("signs out everywhere from My cameras: the account's other tab stops watching, and its old cookie is dead", async () => {
    await step(async () => {
      // B still watches in pageB (above); the same account opens a second tab on My cameras.
      const pageB2 = await browserB.context.newPage();
      await pageB2.goto(stack.url);
      await pageB2.waitForSelector(testId("signout-everywhere-button"), { timeout: 10_000 });
      const cookies = (await browserB.context.cookies(stack.url)).map((c) => `${c.name}=${c.value}`).join("; ");
      expect((await fetch(`${stack.url}/api/me`, { headers: { cookie: cookies } })).status).toBe(200);

      pageB2.once("dialog", (d) => void d.accept());
      await pageB2.click(testId("signout-everywhere-button"));
      await pageB2.waitForSelector(testId("auth-tab-signin"), { timeout: 10_000 });

      const state = await waitForError(pageB, "signed_out", 5_000);
      expect(state.stage).toBe("failed");
      expect(await pageB.locator(testId("error-message")).textContent()).toMatch(/signed out on every device/);
      // Any copy of the old cookie (another phone) no longer signs anyone in.
      expect((await fetch(`${stack.url}/api/me`, { headers: { cookie: cookies } })).status).toBe(401);
      await pageB2.close();
    });
  });
});
