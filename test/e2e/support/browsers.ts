// Why: the core flows must hold in more than one engine. This is the thin driver they are
// written against: playwright-core for Debian's Chromium (as every other e2e test) and
// puppeteer-core over WebDriver BiDi for Debian's Firefox ESR. It covers what a person does
// (open, type, click, hold a button, download) plus reading the page; nothing engine-specific
// leaks into the tests.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Page as PlaywrightPage } from "playwright-core";
import type { Page as PuppeteerPage } from "puppeteer-core";
import { CHROMIUM_PATH, launchChromium } from "../../../scripts/lib/chromium.ts";
import { launchFirefox } from "./firefox.ts";
import type { PageLike } from "./page-like.ts";

export const ENGINES = ["chromium", "firefox"] as const;
export type Engine = (typeof ENGINES)[number];

export interface DownloadedFile {
  /** The file name the browser saved it under. */
  name: string;
  bytes: Buffer;
}

/** A tab in either engine: the shared helpers' PageLike plus a person's gestures. */
export interface DriverPage extends PageLike {
  readonly engine: Engine;
  /** The text of the first element matching `selector`. */
  textContent(selector: string): Promise<string>;
  /** Chooses `value` in a <select>. */
  select(selector: string, value: string): Promise<void>;
  /** Moves the mouse to the middle of `selector` and holds the primary button down. */
  pressOn(selector: string): Promise<void>;
  /** Lets the mouse button go. */
  release(): Promise<void>;
  /** Clicks `selector` at a point given as fractions (0–1) of its width and height. */
  clickAt(selector: string, at: { x: number; y: number }): Promise<void>;
  /** Clicks `selector` and returns the file the browser saved because of it. */
  download(selector: string, timeoutMs: number): Promise<DownloadedFile>;
  /** Calls `listener` with each console line and uncaught error of the page. */
  onLog(listener: (line: string) => void): void;
  close(): Promise<void>;
}

export interface DriverBrowser {
  readonly engine: Engine;
  /** e.g. "chromium 156.0.…" or "firefox 153.8.0esr". */
  readonly version: string;
  newPage(): Promise<DriverPage>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** A fake microphone that needs no permission prompt (push-to-talk). */
  fakeMicrophone?: boolean;
}

/** Launches Debian's build of `engine` headless on a fresh profile under .tmp/. */
export async function launchBrowser(engine: Engine, options: LaunchOptions = {}): Promise<DriverBrowser> {
  return engine === "chromium" ? launchChromiumDriver(options) : launchFirefoxDriver();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function launchChromiumDriver(options: LaunchOptions): Promise<DriverBrowser> {
  // Chromium's fake capture devices, and no permission prompt (W3C mediacapture in tests).
  const extraArgs = options.fakeMicrophone ? ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"] : [];
  const launched = await launchChromium({ extraArgs });
  const version = spawnSync(CHROMIUM_PATH, ["--version"], { encoding: "utf8" }).stdout.trim();
  return {
    engine: "chromium",
    version,
    newPage: async () => chromiumPage(await launched.context.newPage()),
    close: () => launched.close(),
  };
}

function chromiumPage(page: PlaywrightPage): DriverPage {
  const base: PageLike = page;
  return {
    engine: "chromium",
    goto: (url) => base.goto(url),
    click: (selector) => base.click(selector),
    fill: (selector, value) => base.fill(selector, value),
    waitForSelector: (selector, options) => base.waitForSelector(selector, options),
    evaluate: (fn, arg) => base.evaluate(fn, arg),
    $eval: (selector, fn, arg) => base.$eval(selector, fn, arg),
    waitForFunction: (fn, arg, options) => base.waitForFunction(fn, arg, options),
    textContent: async (selector) => (await page.textContent(selector)) ?? "",
    select: async (selector, value) => void (await page.selectOption(selector, value)),
    async pressOn(selector) {
      // Mouse coordinates are the viewport's: bring a control below the picture into view first.
      await page.locator(selector).evaluate((el) => el.scrollIntoView({ block: "center" }), undefined, { timeout: 10_000 });
      const box = await page.locator(selector).boundingBox({ timeout: 10_000 });
      if (!box) throw new Error(`${selector} has no box to press`);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
    },
    release: () => page.mouse.up(),
    clickAt: (selector, at) => page.locator(selector).click({ position: at, timeout: 10_000 }).then(async () => {}),
    async download(selector, timeoutMs) {
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: timeoutMs }), page.click(selector)]);
      return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
    },
    onLog(listener) {
      page.on("console", (m) => listener(`[console.${m.type()}] ${m.text()}`));
      page.on("pageerror", (e) => listener(`[pageerror] ${e.message}`));
    },
    close: () => page.close(),
  };
}

async function launchFirefoxDriver(): Promise<DriverBrowser> {
  const launched = await launchFirefox();
  // One download folder per browser: a page's download is the file that was not there before.
  const downloads = { dir: launched.downloadDir, taken: new Set<string>() };
  return {
    engine: "firefox",
    version: launched.version,
    newPage: async () => firefoxPage(await launched.browser.newPage(), downloads),
    close: () => launched.close(),
  };
}

function firefoxPage(page: PuppeteerPage, downloads: { dir: string; taken: Set<string> }): DriverPage {
  // puppeteer's evaluate family takes the page function's arguments as a rest list, with types
  // of its own; the PageLike signatures are the contract, so the calls go through `any`-free
  // casts to a plain function shape.
  type Fn = (...args: unknown[]) => unknown;
  const located = (selector: string) => page.locator(selector).setTimeout(15_000);
  const boxOf = async (selector: string) => {
    const handle = await page.waitForSelector(selector, { visible: true, timeout: 10_000 });
    // Mouse coordinates are the viewport's: the live page puts the picture first, so controls
    // may start below the fold (and under the pinned live bar when scrolled to the very edge).
    await handle?.evaluate((el) => (el as Element).scrollIntoView({ block: "center" }));
    const box = await handle?.boundingBox();
    if (!box) throw new Error(`${selector} has no box to press`);
    return box;
  };
  const self: DriverPage = {
    engine: "firefox",
    goto: (url) => page.goto(url),
    click: (selector) => located(selector).click(),
    fill: (selector, value) => located(selector).fill(value),
    async waitForSelector(selector, options) {
      const timeout = options.timeout ?? 30_000;
      if (options.state === "detached") {
        await page.waitForFunction((s: string) => !document.querySelector(s), { timeout, polling: 50 }, selector);
        return;
      }
      await page.waitForSelector(selector, { timeout, visible: options.state !== "attached" });
    },
    evaluate: (fn, arg) => page.evaluate(fn as Fn, arg) as Promise<never>,
    $eval: (selector, fn, arg) => page.$eval(selector, fn as Fn, arg) as Promise<never>,
    waitForFunction: (fn, arg, options) =>
      page.waitForFunction(fn as Fn, { timeout: options.timeout ?? 30_000, polling: options.polling ?? 100 }, arg),
    textContent: (selector) => page.$eval(selector, (el) => el.textContent ?? ""),
    select: async (selector, value) => void (await page.select(selector, value)),
    async pressOn(selector) {
      const box = await boxOf(selector);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
    },
    release: () => page.mouse.up(),
    async clickAt(selector, at) {
      const box = await boxOf(selector);
      await page.mouse.click(box.x + at.x * box.width, box.y + at.y * box.height);
    },
    async download(selector, timeoutMs) {
      await self.click(selector);
      // Firefox writes "<name>.part" and renames it when done; a finished file keeps its size.
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const fresh = listFiles(downloads.dir).filter((n) => !downloads.taken.has(n) && !n.endsWith(".part"));
        const name = fresh[0];
        if (name && !listFiles(downloads.dir).includes(`${name}.part`)) {
          const file = path.join(downloads.dir, name);
          const size = statSync(file).size;
          await sleep(200);
          if (size > 0 && statSync(file).size === size) {
            downloads.taken.add(name);
            return { name, bytes: readFileSync(file) };
          }
        }
        await sleep(100);
      }
      throw new Error(`Firefox saved no file in ${downloads.dir} within ${timeoutMs} ms of clicking ${selector} (it holds ${JSON.stringify(listFiles(downloads.dir))})`);
    },
    onLog(listener) {
      page.on("console", (m) => listener(`[console.${m.type()}] ${m.text()}`));
      page.on("pageerror", (e) => listener(`[pageerror] ${e instanceof Error ? e.message : String(e)}`));
    },
    close: () => page.close(),
  };
  return self;
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
