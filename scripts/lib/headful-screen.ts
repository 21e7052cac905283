// Why: a notification is drawn by the browser outside the page, so a page screenshot cannot show
// one. For the README's notification picture Chromium runs headful on a private X display (Xvfb)
// with its own notification popups (no desktop notification daemon here), and the whole screen
// is grabbed with ffmpeg's x11grab. Docs only: tests read notifications through the service
// worker's getNotifications() instead.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.ts";
import { TMP_DIR } from "./paths.ts";

export interface HeadfulScreen {
  context: BrowserContext;
  /** Writes a PNG of the whole display (browser window and its notification popups). */
  capture(file: string): Promise<void>;
  close(): Promise<void>;
}

function freeDisplay(): number {
  for (let n = 90; n < 130; n++) if (!existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`)) return n;
  throw new Error("no free X display number between :90 and :129");
}

async function waitForDisplay(n: number, xvfb: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (xvfb.exitCode !== null) throw new Error(`Xvfb :${n} exited with ${xvfb.exitCode}`);
    if (existsSync(`/tmp/.X11-unix/X${n}`)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Xvfb :${n} did not start within 5 s`);
}

export async function startHeadfulScreen(size: { width: number; height: number }): Promise<HeadfulScreen> {
  if (spawnSync("which", ["Xvfb"]).status !== 0) throw new Error('Xvfb not found: install the Debian package "xvfb" for the notification screenshot.');
  const n = freeDisplay();
  const display = `:${n}`;
  const xvfb = spawn("Xvfb", [display, "-screen", "0", `${size.width}x${size.height}x24`, "-nolisten", "tcp"], { stdio: "ignore" });
  await waitForDisplay(n, xvfb);
  const dir = mkdtempSync(path.join(TMP_DIR, "chromium-headful-"));
  // Chromium's own popups rather than a desktop daemon's (there is none).
  const args = CHROMIUM_ARGS.map((a) => (a.startsWith("--disable-features=") ? `${a},NativeNotifications,SystemNotifications` : a));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM_PATH,
      headless: false,
      args: [...args, "--window-position=0,0", `--window-size=${size.width},${size.height}`, "--test-type"],
      env: { ...process.env, DISPLAY: display },
      viewport: null,
    });
  } catch (e) {
    xvfb.kill();
    throw e;
  }
  return {
    context,
    capture: (file) =>
      new Promise<void>((resolve, reject) => {
        const ff = spawn("ffmpeg", ["-y", "-loglevel", "error", "-f", "x11grab", "-video_size", `${size.width}x${size.height}`, "-i", `${display}.0`, "-frames:v", "1", file], { stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        ff.stderr.on("data", (d: Buffer) => (err += d.toString()));
        ff.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg x11grab exited ${code}: ${err.trim()}`))));
      }),
    async close() {
      await context.close().catch(() => {});
      xvfb.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
