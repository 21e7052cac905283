// Intercom on real parts: two people in two Chromium profiles with Chromium's fake microphone
// (it beeps), the edge in workerd, and the demo camera's agent with a file talk sink. The owner
// holds Talk; the agent writes what it hears as Ogg Opus, which ffprobe reads back; the second
// person (shared as viewer) sees who is talking and is refused the floor meanwhile.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { TMP_DIR } from "../../scripts/lib/paths.ts";
import { ffprobe, peakDb, requireFfprobe } from "./support/audio-file.ts";
import { claimCamera, openCamera, shareCamera, signUp, uniqueEmail } from "./support/accounts.ts";
import { startTestStack } from "./support/local-stack.ts";
import { testId, waitForFirstFrame } from "./support/pwa.ts";

/** Chromium's fake capture devices, and no permission prompt (W3C mediacapture in tests). */
const FAKE_MIC = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];

let stack: Awaited<ReturnType<typeof startTestStack>>;
let owner: LaunchedBrowser;
let friend: LaunchedBrowser;
let pageA: Page;
let pageB: Page;
let sinkDir: string;
const emailA = uniqueEmail("talker");
const emailB = uniqueEmail("listener");
const pageLogs: string[] = [];

beforeAll(async () => {
  requireFfprobe("the intercom e2e");
  sinkDir = mkdtempSync(path.join(TMP_DIR, "e2e-talk-sink-"));
  stack = await startTestStack("intercom", { demoOwner: false, agentArgs: ["--talk-sink", `file:${path.join(sinkDir, "talk.opus")}`] });
  [owner, friend] = await Promise.all([launchChromium({ extraArgs: FAKE_MIC }), launchChromium({ extraArgs: FAKE_MIC })]);
  pageA = await owner.context.newPage();
  pageB = await friend.context.newPage();
  for (const [who, page] of [["A", pageA], ["B", pageB]] as const) {
    page.on("console", (m) => pageLogs.push(`[${who} console.${m.type()}] ${m.text()}`));
    page.on("pageerror", (e) => pageLogs.push(`[${who} pageerror] ${e.message}`));
  }
});

afterAll(async () => {
  await owner?.close();
  await friend?.close();
  await stack?.stop();
  if (sinkDir) rmSync(sinkDir, { recursive: true, force: true });
});

async function step<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    console.error(`${pageLogs.slice(-40).join("\n")}\n--- stack logs ---\n${stack.logs.slice(-80).join("\n")}`);
    throw error;
  }
}

/** Presses the left button on the Talk button and keeps it down (a held finger). */
async function pressTalk(page: Page): Promise<void> {
  const button = page.locator(testId("talk-button"));
  await button.waitFor({ state: "visible", timeout: 10_000 });
  // A press is at page coordinates: the button must be inside the viewport (the owner's camera
  // page grew a diagnostics card above it).
  await button.scrollIntoViewIfNeeded();
  const box = await button.boundingBox();
  if (!box) throw new Error("the Talk button has no box");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
}

async function talkStateIs(page: Page, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const state = page.locator(testId("talk-state"));
  try {
    await page.waitForFunction(
      ([sel, src, flags]) => new RegExp(src, flags).test(document.querySelector(sel)?.textContent ?? ""),
      [testId("talk-state"), pattern.source, pattern.flags] as const,
      { timeout: timeoutMs, polling: 50 },
    );
  } catch {
    throw new Error(`talk state never matched ${pattern}: it says ${JSON.stringify(await state.textContent().catch(() => null))}`);
  }
  return (await state.textContent()) ?? "";
}

const nameA = emailA.split("@")[0]!;

describe("intercom (push-to-talk) in Chromium", () => {
  it("shows Talk to the owner and to a viewer the camera is shared with", async () => {
    await step(async () => {
      await signUp(pageB, stack.url, emailB);
      await signUp(pageA, stack.url, emailA);
      await claimCamera(pageA, stack.camera.serial, stack.camera.accessCode);
      await waitForFirstFrame(pageA);
      await shareCamera(pageA, emailB, "viewer");
      await pageB.goto(stack.url);
      await openCamera(pageB, stack.camera.serial);
      await waitForFirstFrame(pageB);
      await pageA.locator(testId("talk-button")).waitFor({ state: "visible", timeout: 10_000 });
      await pageB.locator(testId("talk-button")).waitFor({ state: "visible", timeout: 10_000 });
    });
  });

  it("sends the held microphone to the camera, which writes it as Ogg Opus lasting the talk", async () => {
    await step(async () => {
      await pressTalk(pageA);
      await talkStateIs(pageA, /^Talking…$/);
      const talkingSince = Date.now();

      // The other person sees who talks, and is refused the floor with that name.
      expect(await talkStateIs(pageB, new RegExp(`^${nameA} is talking$`))).toBe(`${nameA} is talking`);
      await pressTalk(pageB);
      const refusal = await talkStateIs(pageB, /Try again when they finish/);
      expect(refusal).toBe(`${nameA} is talking. Try again when they finish.`);
      expect(await pageB.locator(testId("talk-state")).getAttribute("data-error-code")).toBe("busy");
      await pageB.mouse.up();

      await pageA.waitForTimeout(Math.max(0, 2_000 - (Date.now() - talkingSince)));
      await pageA.mouse.up();
      await talkStateIs(pageA, /^$/);

      // The agent closes the burst's file when the floor is released.
      const deadline = Date.now() + 10_000;
      while (!stack.logs.some((l) => l.includes('"action":"sink_closed"')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const files = readdirSync(sinkDir).filter((f) => /^talk-\d{8}T\d{9}Z\.opus$/.test(f));
      expect(files, `sink folder holds ${JSON.stringify(readdirSync(sinkDir))}`).toHaveLength(1);
      const { codec, duration } = ffprobe(path.join(sinkDir, files[0]!));
      expect(codec).toBe("opus");
      expect(duration).toBeGreaterThanOrEqual(1);
      expect(duration).toBeLessThan(4);
      // Chromium's fake microphone beeps: real sound arrived, not just concealment frames.
      expect(peakDb(path.join(sinkDir, files[0]!))).toBeGreaterThan(-30);
    });
  });

  it("tells the other viewer when the talker lets go, and then gives them the floor", async () => {
    await step(async () => {
      await talkStateIs(pageB, /^$/);
      await pressTalk(pageB);
      await talkStateIs(pageB, /^Talking…$/);
      expect(await talkStateIs(pageA, /is talking$/)).toMatch(/^listener-.* is talking$/);
      await pageB.mouse.up();
      await talkStateIs(pageA, /^$/);
    });
  });

  it("talks while Space is held on the focused Talk button, and stops when it is let go", async () => {
    await step(async () => {
      await pageA.focus(testId("talk-button"));
      await pageA.keyboard.down("Space");
      await talkStateIs(pageA, /^Talking…$/);
      expect(await pageA.locator(testId("talk-button")).getAttribute("aria-pressed")).toBe("true");
      await talkStateIs(pageB, new RegExp(`^${nameA} is talking$`));
      await pageA.keyboard.up("Space");
      await talkStateIs(pageA, /^$/);
      await talkStateIs(pageB, /^$/);
    });
  });
});
