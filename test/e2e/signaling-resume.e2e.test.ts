// Signaling resume on real parts (Chromium PWA, the edge in workerd, the demo agent): while the
// camera plays, the PWA's signaling socket drops. Video keeps playing peer-to-peer, the PWA says
// "Reconnecting to the service…" (not an error), resumes the same session on a new socket with
// its resume token, and an ICE restart asked for afterwards still reaches the camera.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { startTestStack } from "./support/local-stack.ts";
import { connect, readState, testId, waitForFirstFrame } from "./support/pwa.ts";
import { playbackProgress } from "./support/video-frame.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;

beforeAll(async () => {
  stack = await startTestStack("signaling-resume");
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The parts of window.__porthole this test reads. */
interface ResumeState {
  stage?: string;
  signaling: string;
  sessionId: string;
  iceRestarts: number;
  iceState: string | null;
  error: { code: string } | null;
}

type TestWindow = Window & {
  __porthole: ResumeState;
  __portholeDropSignaling?: () => boolean;
  __resumeNotices?: string[];
};

async function framesAdvance(page: Page, ms: number): Promise<number> {
  const a = await playbackProgress(page, testId("video"));
  await page.waitForTimeout(ms);
  const b = await playbackProgress(page, testId("video"));
  return b.frames - a.frames;
}

describe("signaling resume in Chromium", () => {
  it("keeps playing the same session when the signaling socket drops, resumes it, and restarts ICE afterwards", async () => {
    const page = await browser.context.newPage();
    const lines: string[] = [];
    page.on("console", (msg) => lines.push(`[console.${msg.type()}] ${msg.text()}`));
    const dump = () => `${lines.slice(-40).join("\n")}\n--- stack logs ---\n${stack.logs.slice(-80).join("\n")}`;
    try {
      await page.goto(stack.url);
      await connect(page, stack.camera.serial, stack.camera.accessCode);
      await waitForFirstFrame(page);
      await page.waitForFunction(() => (window as unknown as TestWindow).__porthole.signaling === "open", undefined, { timeout: 5000 });
      // Playing steadily first (right after the first frame the start-up replay can hold the
      // picture for a moment), so a stall after the drop would be the drop's doing.
      await expect.poll(() => framesAdvance(page, 1000), { timeout: 15_000, interval: 0 }).toBeGreaterThan(5);
      const before = (await readState(page)) as unknown as ResumeState;

      // Record every "Reconnecting…" notice the page shows, however briefly.
      await page.evaluate(() => {
        const w = window as unknown as TestWindow;
        w.__resumeNotices = [];
        new MutationObserver(() => {
          const el = document.querySelector('[data-testid="signaling-resuming"]');
          if (el?.textContent) w.__resumeNotices!.push(el.textContent);
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });

      expect(await page.evaluate(() => (window as unknown as TestWindow).__portholeDropSignaling?.() ?? false)).toBe(true);
      await page.waitForFunction(
        () => {
          const w = window as unknown as TestWindow;
          return w.__porthole.signaling === "open" && (w.__resumeNotices?.length ?? 0) > 0;
        },
        undefined,
        { timeout: 10_000, polling: 20 },
      );

      const resumed = (await readState(page)) as unknown as ResumeState;
      expect(resumed.sessionId, dump()).toBe(before.sessionId);
      expect(resumed.stage).toBe("live");
      expect(resumed.error).toBeNull();
      expect(await page.evaluate(() => (window as unknown as TestWindow).__resumeNotices)).toContain("Reconnecting to the service…");
      // The hub continued the session: the camera never heard session-end (the edge's own logs
      // are off at --log-level warn; the agent's are captured).
      expect(stack.logs.some((l) => l.includes('"session_closed"') && l.includes(before.sessionId)), dump()).toBe(false);
      const restartsBefore = stack.logs.filter((l) => l.includes("session_ice_restart") && l.includes(before.sessionId)).length;
      // 15 fps demo clip: a playing picture gains well over 5 frames a second.
      expect(await framesAdvance(page, 1000), dump()).toBeGreaterThan(5);
      const presence = (await (await fetch(`${stack.url}/api/devices/${stack.camera.serial}`)).json()) as { viewers: number };
      expect(presence.viewers).toBe(1);

      // Signaling works again: a network change asks the camera for an ICE restart, which it answers.
      await page.evaluate(() => window.dispatchEvent(new Event("online")));
      await page.waitForFunction((n) => (window as unknown as TestWindow).__porthole.iceRestarts === n + 1, before.iceRestarts, { timeout: 5000 });
      await page.waitForFunction(
        () => {
          const s = (window as unknown as TestWindow).__porthole;
          return s.stage === "live" && ["connected", "completed"].includes(s.iceState ?? "");
        },
        undefined,
        { timeout: 10_000, polling: 50 },
      );
      // The restart went through the resumed socket to the camera, for the same session.
      await expect
        .poll(() => stack.logs.filter((l) => l.includes("session_ice_restart") && l.includes(before.sessionId)).length, { timeout: 5000 })
        .toBeGreaterThan(restartsBefore);
      expect(await framesAdvance(page, 1500), dump()).toBeGreaterThan(10);
      expect(((await readState(page)) as unknown as ResumeState).sessionId).toBe(before.sessionId);
    } catch (error) {
      console.error(dump());
      throw error;
    } finally {
      await page.close();
    }
  });
});
