// The agent's ffmpeg input path on real parts: ffmpeg encodes a test pattern to RTP, the agent
// forwards it over WebRTC, Chromium decodes it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { startTestStack } from "./support/local-stack.ts";
import { connect, testId, waitForFirstFrame } from "./support/pwa.ts";
import { sampleVideoFrame } from "./support/video-frame.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;

beforeAll(async () => {
  stack = await startTestStack("ffmpeg", { agentSource: "testsrc" });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("ffmpeg camera source", () => {
  it("streams an ffmpeg test pattern that Chromium decodes into a non-blank picture", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(stack.url);
      await connect(page, stack.camera.serial, stack.camera.accessCode);
      await waitForFirstFrame(page, 30_000);
      const frame = await sampleVideoFrame(page, testId("video"));
      expect(frame.width).toBeGreaterThan(0);
      expect(frame.stddev).toBeGreaterThan(20);
    } catch (error) {
      console.error(stack.logs.slice(-80).join("\n"));
      throw error;
    } finally {
      await page.close();
    }
  });
});
