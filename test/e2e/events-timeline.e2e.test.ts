// The events timeline across all cameras (issue 13, item 3) on real parts: wrangler dev with
// local D1, the real agent on a scripted picture (support/scripted-camera.ts) and the owner's PWA
// in Debian's Chromium. The camera's motion reaches the edge's index as names and times only;
// /events lists it under Today with the camera's name, fetches its picture from the camera itself
// (the edge never holds one) and a tap opens that camera at that event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { EventsPageSchema } from "../../protocol/index.ts";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { waitFor } from "../../scripts/lib/processes.ts";
import { signIn } from "./support/accounts.ts";
import { createDiagnostics } from "./support/diagnostics.ts";
import { startTestStack } from "./support/local-stack.ts";
import { startScriptedCamera, type ScriptedCamera } from "./support/scripted-camera-process.ts";
import { testId } from "./support/pwa.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;
let page: Page;
let camera: ScriptedCamera;

const diagnostics = createDiagnostics(
  () => stack.logs,
  async () => `test ids on the page: ${await page.evaluate(() => [...document.querySelectorAll("[data-testid]")].map((e) => e.getAttribute("data-testid")).join(" "))}`,
);

beforeAll(async () => {
  stack = await startTestStack("events-timeline", { agentSource: false });
  if (!stack.camera.owner) throw new Error("this e2e needs the demo owner account");
  camera = await startScriptedCamera(stack);
  browser = await launchChromium();
  page = await browser.context.newPage();
  diagnostics.watch(page);
  await signIn(page, stack.url, stack.camera.owner.email, stack.camera.owner.password);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the events timeline in Chromium", () => {
  it("lists the camera's motion under Today with its name, fetches its picture from the camera, and a tap opens the camera at that event", async () => {
    await diagnostics.step(async () => {
      const motion = await camera.move();
      // The edge's index: names and times only.
      const listed = await waitFor("the edge to list the event", async () => {
        const body = await page.evaluate(async () => (await fetch("/api/events")).json());
        const events = EventsPageSchema.parse(body).events;
        return events.length > 0 ? events : undefined;
      }, 15_000, 250);
      expect(listed).toHaveLength(1);
      const event = listed[0]!;
      expect(Object.keys(event).sort()).toEqual(["id", "kind", "serial", "startedAt"]);
      expect(event.serial).toBe(stack.camera.serial);
      expect(event.startedAt).toBeGreaterThanOrEqual(motion.from - 1_000);

      await page.goto(`${stack.url}/events`);
      const row = testId(`event-${event.serial}-${event.id}`);
      await page.waitForSelector(row, { timeout: 10_000 });
      expect(await page.textContent(".events__day-title")).toMatch(/today/i);
      const cameras = (await page.evaluate(async () => (await fetch("/api/cameras")).json())) as { cameras: { serial: string; name: string; lastEventAt?: number }[] };
      const listedCamera = cameras.cameras.find((c) => c.serial === event.serial)!;
      expect(await page.textContent(`${row} .event__camera`)).toBe(listedCamera.name);
      // The camera list knows the latest event too ("Motion 5 min ago").
      expect(listedCamera.lastEventAt).toBe(event.startedAt);
      // Its picture comes from the camera (a short session of the page's own) into this device's cache.
      await page.waitForSelector(`${row} .event__picture[data-has-picture="true"] img`, { timeout: 20_000 });
      const natural = await page.$eval(`${row} img`, (img) => new Promise<number>((r) => ((img as HTMLImageElement).complete ? r((img as HTMLImageElement).naturalWidth) : img.addEventListener("load", () => r((img as HTMLImageElement).naturalWidth)))));
      expect(natural).toBe(640);
      // The picture's session ended right after: the camera's viewer slot is free again.
      await waitFor("the picture's session to end", async () => {
        const body = (await page.evaluate(async () => (await fetch("/api/cameras")).json())) as { cameras: { serial: string; viewers: number }[] };
        return body.cameras.find((c) => c.serial === event.serial)?.viewers === 0 ? true : undefined;
      }, 10_000, 250);

      await page.click(row);
      await page.waitForURL(`**/cameras/${event.serial}?event=${event.id}`, { timeout: 5_000 });
    });
  });
});
