// Snapshots and the camera's own settings on real parts: the PWA in Debian's Chromium, the edge
// in workerd, the demo camera's agent with ffmpeg making the JPEG. The owner takes a snapshot,
// changes settings that must survive an agent restart, and meets the camera's refusal of a bad
// value; a shared viewer sees no settings and is refused by the camera itself.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { readJpegInfo } from "../../device-agent/src/controls/snapshot/jpeg-info.ts";
import { ffmpegAvailable } from "../../device-agent/src/media/ffmpeg-source.ts";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { shareCamera, signIn, signUp, uniqueEmail } from "./support/accounts.ts";
import { createDiagnostics } from "./support/diagnostics.ts";
import { startTestStack } from "./support/local-stack.ts";
import { pageControl, testId, waitForFirstFrame } from "./support/pwa.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let ownerBrowser: LaunchedBrowser;
let viewerBrowser: LaunchedBrowser;
let owner: Page;
const NEW_NAME = `Porch e2e ${Date.now().toString(36)}`;


beforeAll(async () => {
  // The agent makes snapshots with ffmpeg; without it the camera offers none.
  if (!ffmpegAvailable()) throw new Error('ffmpeg is not installed: this test needs the Debian package "ffmpeg" (npm test installs it when run as root).');
  // The processed pipeline (--ptz virtual sends the demo clip through ffmpeg) applies picture
  // settings; the plain clip cannot, and its panel greys the Picture section out.
  stack = await startTestStack("snapshot-settings", { agentArgs: ["--ptz", "virtual"] });
  if (!stack.camera.owner) throw new Error("this e2e needs the demo owner account (startTestStack with demoOwner)");
  [ownerBrowser, viewerBrowser] = await Promise.all([launchChromium(), launchChromium()]);
  owner = await ownerBrowser.context.newPage();
  watchLogs("owner", owner);
  await signIn(owner, stack.url, stack.camera.owner.email, stack.camera.owner.password);
});

afterAll(async () => {
  await ownerBrowser?.close();
  await viewerBrowser?.close();
  await stack?.stop();
});

const diagnostics = createDiagnostics(() => stack.logs);
const step = diagnostics.step;
const watchLogs = (who: string, page: Page) => diagnostics.watch(page, who);

/** Opens the camera's page (which plays it) and waits for the first frame and the controls. */
async function watchCamera(page: Page): Promise<void> {
  await page.goto(`${stack.url}/cameras/${stack.camera.serial}`);
  await waitForFirstFrame(page);
  await page.waitForSelector(testId("controls-dock"), { timeout: 10_000 });
  await page.waitForFunction(() => typeof (window as unknown as { __portholeControl?: unknown }).__portholeControl === "function", undefined, { timeout: 10_000 });
}

const control = pageControl;

async function openSettings(page: Page): Promise<void> {
  await page.click(testId("device-settings-toggle"));
  await page.waitForSelector(testId("device-settings-name"), { timeout: 10_000 });
}

const settingsFile = () => JSON.parse(readFileSync(path.join(stack.agentDataDir, "settings.json"), "utf8")) as {
  name: string;
  image: { night: string };
  quality: { sd: { width: number } };
};

async function downloadSnapshot(page: Page): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.click(testId("snapshot-button"))]);
  const file = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(file) };
}

describe("snapshot and camera settings in Chromium", () => {
  it("downloads a snapshot as a valid JPEG with the video's dimensions, named after the camera and the time", async () => {
    await step(async () => {
      await watchCamera(owner);
      const { name, bytes } = await downloadSnapshot(owner);
      expect(name).toMatch(new RegExp(`^${stack.camera.serial}-\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}\\.jpg$`));
      expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
      expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
      const info = readJpegInfo(bytes);
      const video = await owner.$eval(testId("video"), (v) => ({ width: (v as HTMLVideoElement).videoWidth, height: (v as HTMLVideoElement).videoHeight }));
      expect(video.width).toBeGreaterThan(0);
      expect(info).toMatchObject(video);
      // The preview shows the same picture.
      const preview = await owner.waitForSelector(`${testId("snapshot-preview")}`, { timeout: 5_000 });
      await owner.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, preview);
      expect(await preview.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(video.width);
    });
  });

  it("saves a new name and night mode from the panel; both survive an agent restart and show after a reload", async () => {
    await step(async () => {
      await openSettings(owner);
      // The panel starts from the camera's own values.
      expect(await owner.inputValue(testId("device-settings-name"))).toBe("Demo camera");
      await owner.fill(testId("device-settings-name"), NEW_NAME);
      await owner.selectOption(testId("device-settings-night"), "on");
      await owner.click(testId("device-settings-save"));
      await owner.waitForSelector(testId("device-settings-saved"), { timeout: 10_000 });
      expect(settingsFile()).toMatchObject({ name: NEW_NAME, image: { night: "on" } });

      await stack.startAgent(); // stops the agent and starts it again on the same data dir
      await owner.reload();
      await waitForFirstFrame(owner, 30_000);
      // The camera introduces itself by its new name in the hello.
      await owner.waitForFunction((n) => document.querySelector('[data-testid="device-name"]')?.textContent?.includes(n), NEW_NAME, { timeout: 10_000 });
      await owner.waitForSelector(testId("controls-dock"), { timeout: 10_000 });
      await openSettings(owner);
      await owner.waitForFunction((n) => (document.querySelector('[data-testid="device-settings-name"]') as HTMLInputElement | null)?.value === n, NEW_NAME, { timeout: 10_000 });
      expect(await owner.inputValue(testId("device-settings-night"))).toBe("on");
    });
  });

  it("shows the camera's reason next to a refused value and changes nothing", async () => {
    await step(async () => {
      const before = readFileSync(path.join(stack.agentDataDir, "settings.json"), "utf8");
      // HD is 1280x720; an SD stream larger than HD is refused by the camera.
      await owner.selectOption(testId("device-settings-sd-size"), "1920x1080");
      await owner.click(testId("device-settings-save"));
      const err = await owner.waitForSelector(`${testId("device-settings-error")}[data-field="quality.sd.size"]`, { timeout: 10_000 });
      expect(await err.textContent()).toMatch(/SD must not be larger than HD/);
      // The error sits in the SD profile, beside the resolution picker.
      expect(await owner.$eval(`${testId("device-settings-sd")} ${testId("device-settings-error")}`, (e) => e.getAttribute("data-field"))).toBe("quality.sd.size");
      expect(readFileSync(path.join(stack.agentDataDir, "settings.json"), "utf8")).toBe(before);
      const now = await control(owner, "settings.get");
      expect(now.ok && (now.result.settings as { quality: { sd: { width: number } } }).quality.sd.width).toBe(settingsFile().quality.sd.width);
      expect(await owner.locator(testId("device-settings-saved")).count()).toBe(0);
    });
  });

  it("shows a change saved in another owner tab live, keeping this tab's unsaved edit", async () => {
    await step(async () => {
      // The owner tab still holds the refused SD size as an unsaved edit.
      expect(await owner.inputValue(testId("device-settings-sd-size"))).toBe("1920x1080");
      const other = await ownerBrowser.context.newPage();
      watchLogs("owner-2", other);
      try {
        await watchCamera(other);
        await openSettings(other);
        await other.selectOption(testId("device-settings-night"), "off");
        await other.click(testId("device-settings-save"));
        await other.waitForSelector(testId("device-settings-saved"), { timeout: 10_000 });
        await owner.waitForFunction(() => (document.querySelector('[data-testid="device-settings-night"]') as HTMLSelectElement | null)?.value === "off", undefined, { timeout: 5_000 });
        expect(await owner.inputValue(testId("device-settings-sd-size"))).toBe("1920x1080");
        expect(settingsFile()).toMatchObject({ name: NEW_NAME, image: { night: "off" }, quality: { sd: { width: 640 } } });
      } finally {
        await other.close();
      }
    });
  });

  it("gives a shared viewer no settings panel, refuses their settings.set as forbidden, and lets both take snapshots at once", async () => {
    await step(async () => {
      const viewer = await viewerBrowser.context.newPage();
      watchLogs("viewer", viewer);
      const email = uniqueEmail("viewer");
      await signUp(viewer, stack.url, email);
      await owner.goto(`${stack.url}/cameras/${stack.camera.serial}`);
      await waitForFirstFrame(owner);
      await shareCamera(owner, email, "viewer");
      await watchCamera(viewer);

      expect(await viewer.locator(testId("device-settings")).count()).toBe(0);
      expect(await owner.locator(testId("device-settings")).count()).toBe(1);
      const refused = await control(viewer, "settings.set", { patch: { name: "Not yours" } });
      expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
      const read = await control(viewer, "settings.get");
      expect(read.ok && (read.result.settings as { name: string }).name).toBe(NEW_NAME);
      expect(settingsFile().name).toBe(NEW_NAME);

      await owner.waitForSelector(testId("controls-dock"), { timeout: 10_000 });
      const [a, b] = await Promise.all([downloadSnapshot(owner), downloadSnapshot(viewer)]);
      for (const shot of [a, b]) {
        expect(readJpegInfo(shot.bytes)).toMatchObject({ width: expect.any(Number), height: expect.any(Number) });
        expect([...shot.bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
      }
    });
  });
});
