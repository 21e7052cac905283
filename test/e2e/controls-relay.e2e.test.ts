// Camera controls on a forced relay path: the PWA opened with ?relay=1 (relay-only ICE through
// a real local coturn) signs in as the owner, moves the virtual PTZ and switches to HD. The
// control channel rides the same relayed DTLS association as the video, so both must work
// exactly as on a direct path — and the session stays on the relay throughout.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { TMP_DIR } from "../../scripts/lib/paths.ts";
import { startStack, type Stack } from "../../scripts/lib/stack.ts";
import { readState, testId, waitForFirstFrame } from "./support/pwa.ts";
import { estimateShift, lumaGrid, waitForVideoSize } from "./support/picture-shift.ts";

let stack: Stack;
let browser: LaunchedBrowser;
let page: Page;
const logs: string[] = [];

beforeAll(async () => {
  const dir = path.join(TMP_DIR, `e2e-controls-relay-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  stack = await startStack({
    port: 0,
    persistDir: path.join(dir, "state"),
    demoFile: path.join(dir, "demo-camera.json"),
    buildWeb: process.env.PORTHOLE_E2E_SKIP_BUILD === "1" ? "if-missing" : "always",
    agentSource: "demo",
    agentArgs: ["--ptz", "virtual"],
    turn: true,
    log: (line) => logs.push(line),
    onProcessLine: (proc, line) => {
      logs.push(`[${proc}] ${line}`);
      if (logs.length > 2000) logs.splice(0, 500);
    },
  });
  expect(stack.coturn, "coturn (Debian package `coturn`) must be installed for this test").toBeDefined();
  if (!stack.camera.owner) throw new Error("this e2e needs the demo owner account");
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on("console", (m) => logs.push(`[console.${m.type()}] ${m.text()}`));
  await page.goto(stack.url);
  await page.click(testId("auth-tab-signin"));
  await page.fill(testId("email-input"), stack.camera.owner.email);
  await page.fill(testId("password-input"), stack.camera.owner.password);
  await page.click(testId("signin-button"));
  await page.waitForSelector(testId("signout-button"), { timeout: 15_000 });
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
      console.error(logs.slice(-80).join("\n"));
      throw error;
    }
  });
});
