// Camera controls on a forced relay path: the PWA opened with ?relay=1 (relay-only ICE through
// a real local coturn) signs in as the owner, moves the virtual PTZ and switches to HD. The
// control channel rides the same relayed DTLS association as the video, so both must work
// exactly as on a direct path — and the session stays on the relay throughout.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { signIn } from "./support/accounts.ts";
import { startTestStack } from "./support/local-stack.ts";
import { readState, testId, waitForFirstFrame } from "./support/pwa.ts";
import { estimateShift, lumaGrid, waitForVideoSize } from "./support/picture-shift.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;
let page: Page;
const lines: string[] = [];

beforeAll(async () => {
  stack = await startTestStack("controls-relay", { agentArgs: ["--ptz", "virtual"], turn: true });
  expect(stack.coturn, "coturn (Debian package `coturn`) must be installed for this test").toBeDefined();
  if (!stack.camera.owner) throw new Error("this e2e needs the demo owner account");
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on("console", (m) => lines.push(`[console.${m.type()}] ${m.text()}`));
  await signIn(page, stack.url, stack.camera.owner.email, stack.camera.owner.password);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("controls over a forced relay (?relay=1)", () => {
  it("moves the virtual PTZ and switches to HD while the session stays relayed", async () => {
    try {
      // ?relay=1 is read when the app loads: open the camera page with it.
      await page.goto(`${stack.url}/cameras/${stack.camera.serial}?relay=1`);
      await waitForFirstFrame(page, 30_000);
      await page.waitForFunction(() => Boolean((window as unknown as { __porthole?: { pathKind?: string } }).__porthole?.pathKind), undefined, { timeout: 10_000 });
      expect((await readState(page)).pathKind).toBe("relay");
      await page.waitForSelector(testId("ptz-pad"), { timeout: 15_000 });
      const id = await page.evaluate(() => (window as unknown as { __porthole: { sessionId: string } }).__porthole.sessionId);

      await page.waitForTimeout(1000);
      const before = await lumaGrid(page, testId("video"));
      // A press is at viewport coordinates: the pad may start below the picture's fold.
      await page.locator(testId("ptz-right")).scrollIntoViewIfNeeded();
      const box = await page.locator(testId("ptz-right")).boundingBox();
      if (!box) throw new Error("no right button");
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.waitForTimeout(1000);
      await page.mouse.up();
      await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute("data-moving") === "false", testId("ptz-pad"), { timeout: 10_000 });
      await page.waitForTimeout(1200);
      const shift = estimateShift(before, await lumaGrid(page, testId("video")));
      expect(shift.dx).toBeLessThanOrEqual(-6);

      await page.click(testId("quality-hd"));
      await waitForVideoSize(page, testId("video"), 1280, 720, 20_000);
      const after = await readState(page);
      expect(after.pathKind).toBe("relay");
      expect(await page.evaluate(() => (window as unknown as { __porthole: { sessionId: string } }).__porthole.sessionId)).toBe(id);
    } catch (error) {
      console.error(`${lines.slice(-30).join("\n")}\n--- stack logs ---\n${stack.logs.slice(-60).join("\n")}`);
      throw error;
    }
  });
});
