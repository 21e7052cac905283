// The PWA's pages that need no WebRTC, in WebKit — Safari's engine — on real parts: Debian's
// WebKitGTK (MiniBrowser through WebKitWebDriver, under Xvfb) against the edge in workerd with
// local D1 and the demo camera. Debian builds WebKitGTK without WebRTC, which also makes it the
// browser that checks the "no WebRTC" page: said plainly, no stage marked failed, nothing to press.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TMP_DIR } from "../../scripts/lib/paths.ts";
import { startTestStack } from "./support/local-stack.ts";
import { launchWebKit, type LaunchedWebKit } from "./support/webkit-browser.ts";
import type { WebDriverSession } from "./support/webkit-driver.ts";

const testId = (id: string) => `[data-testid="${id}"]`;

let stack: Awaited<ReturnType<typeof startTestStack>>;
let webkit: LaunchedWebKit;
let page: WebDriverSession;

beforeAll(async () => {
  stack = await startTestStack("webkit");
  if (!stack.camera.owner) throw new Error("the WebKit e2e needs the demo camera's owner account (startTestStack with the default demoOwner)");
  // Phone-sized, as on an iPhone (MiniBrowser's window stops shrinking at ~450 px; still the
  // PWA's narrow layout, under its 760 px breakpoint).
  webkit = await launchWebKit({ width: 390, height: 844 });
  page = webkit.session;
  console.log(`[webkit] WebKitGTK ${webkit.version} (MiniBrowser via WebKitWebDriver)`);
});

afterAll(async () => {
  await webkit?.close();
  await stack?.stop();
});

/** Runs a step; on failure prints the page's URL, what the driver said and the stack's last logs. */
async function step<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const url = await page.url().catch(() => "?");
    const shot = path.join(TMP_DIR, `webkit-failure-${Date.now()}.png`);
    await page.screenshot().then((png) => writeFileSync(shot, png)).catch(() => undefined);
    console.error(`screenshot: ${shot}\n` +`page: ${url}\n--- webkit ---\n${webkit.logs.slice(-30).join("\n")}\n--- stack ---\n${stack.logs.slice(-40).join("\n")}`);
    throw error;
  }
}

/** What the page says about its session (window.__porthole, web/src/session/debug-handle.ts). */
async function portholeState(): Promise<{ stage: string; error: { code: string; message: string } | null; user: string | null }> {
  return page.execute("return JSON.parse(JSON.stringify(window.__porthole));");
}

describe("the PWA in WebKitGTK (no WebRTC)", () => {
  it("runs in a WebKit without RTCPeerConnection but with both Media Source constructors", async () => {
    await step(async () => {
      await page.goto(stack.url);
      await page.waitForVisible(testId("auth-form"));
      const env = await page.execute<Record<string, unknown>>(
        "return { rtc: typeof RTCPeerConnection, ms: typeof MediaSource, mms: typeof ManagedMediaSource, secure: isSecureContext, ua: navigator.userAgent, width: innerWidth };",
      );
      // The not-supported checks below mean something only while this holds.
      expect(env).toMatchObject({ rtc: "undefined", ms: "function", mms: "function", secure: true });
      expect(env["ua"]).toMatch(/AppleWebKit/);
      expect(env["width"]).toBeLessThan(760); // the phone layout
    });
  });

  it("has the iOS home-screen meta and a 180×180 apple-touch-icon", async () => {
    await step(async () => {
      const head = await page.execute<Record<string, string | null>>(`
        const meta = (n) => document.querySelector('meta[name="' + n + '"]')?.getAttribute("content") ?? null;
        return {
          capable: meta("apple-mobile-web-app-capable"),
          mobileCapable: meta("mobile-web-app-capable"),
          statusBar: meta("apple-mobile-web-app-status-bar-style"),
          title: meta("apple-mobile-web-app-title"),
          viewport: meta("viewport"),
          icon: document.querySelector('link[rel="apple-touch-icon"]')?.href ?? null,
          manifest: document.querySelector('link[rel="manifest"]')?.href ?? null,
        };`);
      expect(head).toMatchObject({ capable: "yes", mobileCapable: "yes", statusBar: "black-translucent", title: "Porthole" });
      expect(head["viewport"]).toContain("viewport-fit=cover");
      expect(head["manifest"]).toBe(`${stack.url}/manifest.webmanifest`);
      const icon = await page.executeAsync<{ w: number; h: number; type: string | null } | string>(
        `const done = arguments[arguments.length - 1];
         fetch(arguments[0]).then((r) => r.blob()).then((b) => {
           const img = new Image();
           img.onload = () => done({ w: img.naturalWidth, h: img.naturalHeight, type: b.type });
           img.onerror = () => done("the icon did not decode");
           img.src = URL.createObjectURL(b);
         }).catch((e) => done(String(e)));`,
        head["icon"],
      );
      expect(icon).toEqual({ w: 180, h: 180, type: "image/png" });
    });
  });

  it("replaces Connect on the access-code form with a plain explanation", async () => {
    await step(async () => {
      // The label link fills the form in, as on a phone that scanned the camera's label.
      await page.goto(`${stack.url}/?serial=${stack.camera.serial}#code=${stack.camera.accessCode}`);
      await page.waitForVisible(testId("code-watch"));
      expect(await page.execute<string>(`return document.querySelector('[data-testid="serial-input"]').value;`)).toBe(stack.camera.serial);
      const notice = await page.text(`${testId("code-watch")} ${testId("webrtc-unsupported")}`);
      expect(notice).toMatch(/^This browser can't play live video: it has no WebRTC\. Use /);
      expect(await page.findAll(testId("connect-button"))).toHaveLength(0);
    });
  });

  it("signs in with the owner's account", async () => {
    await step(async () => {
      const owner = stack.camera.owner!;
      await page.goto(stack.url);
      await page.click(testId("auth-tab-signin"));
      await page.fill(testId("email-input"), owner.email);
      await page.fill(testId("password-input"), owner.password);
      await page.click(testId("signin-button"));
      await page.waitForVisible(testId("signout-button"));
      expect(await page.text(testId("user-email"))).toBe(owner.email);
      expect((await portholeState()).user).toBe(owner.email);
    });
  });

  it("lists the demo camera under My cameras with the owner role", async () => {
    await step(async () => {
      const item = testId(`camera-item-${stack.camera.serial}`);
      await page.waitForVisible(item);
      expect(await page.text(`${item} ${testId("camera-role")}`)).toMatch(/owner/i);
      expect(await page.text(`${item} ${testId("camera-viewers")}`)).toMatch(/\d/);
    });
  });

  it("opens the camera and says plainly that live video can't play, with no failed stage and no Watch button", async () => {
    await step(async () => {
      await page.click(testId(`camera-item-${stack.camera.serial}`));
      await page.waitUntil("the camera page", async () => (new URL(await page.url()).pathname === `/cameras/${stack.camera.serial}` ? true : undefined));
      const notice = await page.text(`${testId("camera-card")} ${testId("webrtc-unsupported")}`);
      expect(notice).toMatch(/^This browser can't play live video: it has no WebRTC\. Use /);
      expect(await page.findAll(testId("watch-button"))).toHaveLength(0);
      expect(await page.findAll(testId("retry-button"))).toHaveLength(0);
      expect(await page.findAll(testId("error"))).toHaveLength(0); // said once, by the notice

      // The stage list, behind the live bar's "i": every stage "not started", none failed, and why.
      await page.click(testId("details-toggle"));
      await page.waitForVisible(testId("stages-not-started"));
      const stages = await page.execute<{ state: string | null; text: string }[]>(
        `return [...document.querySelectorAll('[data-testid="stage-list"] [data-testid^="stage-"]')].map((li) => ({ state: li.getAttribute("data-state"), text: li.textContent }));`,
      );
      expect(stages.map((s) => s.state)).toEqual(["pending", "pending", "pending", "pending"]);
      for (const s of stages) expect(s.text).not.toMatch(/failed/i);
      expect(await page.text(testId("stage-list"))).not.toMatch(/signaling failed/i);

      const state = await portholeState();
      expect(state.error?.code).toBe("webrtc_unsupported");
      expect(state.stage).toBe("failed");
    });
  });

  it("keeps the live video element muted, inline and autoplaying for iPhone", async () => {
    await step(async () => {
      const video = await page.execute<Record<string, unknown>>(`
        const v = document.querySelector('[data-testid="video"]');
        return { playsInline: v.playsInline, playsinlineAttr: v.hasAttribute("playsinline"), muted: v.muted, autoplay: v.autoplay };`);
      expect(video).toEqual({ playsInline: true, playsinlineAttr: true, muted: true, autoplay: true });
      // Full screen and sound controls belong to live video: none without it.
      expect(await page.findAll(testId("fullscreen-button"))).toHaveLength(0);
      expect(await page.findAll(testId("unmute-button"))).toHaveLength(0);
    });
  });

  it("shows the owner's settings, shares and session history, and saves a new name", async () => {
    await step(async () => {
      await page.waitForVisible(testId("settings-panel"));
      await page.waitForVisible(testId("share-panel"));
      await page.waitForVisible(testId("session-history"));
      const name = `Porch ${Date.now().toString(36)}`;
      await page.fill(testId("settings-name-input"), name);
      await page.click(testId("settings-name-save"));
      await page.waitUntil("the rename to be saved", async () => ((await page.text(testId("settings-name-save"))) === "Saved" ? true : undefined));
      expect(await page.findAll(testId("settings-error"))).toHaveLength(0);

      // The list (a fresh load, from the edge) has the new name.
      await page.goto(stack.url);
      const item = testId(`camera-item-${stack.camera.serial}`);
      await page.waitUntil(`the list to show ${name}`, async () => ((await page.text(item)).includes(name) ? true : undefined));
    });
  });

  it("turns watching with the access code off and keeps it off after a reload", async () => {
    await step(async () => {
      const cameraUrl = `${stack.url}/cameras/${stack.camera.serial}`;
      const checked = () => page.execute<boolean>(`return document.querySelector('[data-testid="settings-allow-code"]').checked;`);
      await page.goto(cameraUrl);
      await page.waitForVisible(testId("settings-allow-code"));
      expect(await checked()).toBe(true); // the demo camera allows it
      await page.click(testId("settings-allow-code"));
      await page.waitUntil("the setting to be saved", async () =>
        (await page.execute<boolean>(`const c = document.querySelector('[data-testid="settings-allow-code"]'); return !c.disabled && !c.checked;`)) ? true : undefined,
      );
      await page.goto(cameraUrl);
      await page.waitForVisible(testId("settings-allow-code"));
      await page.waitUntil("the reloaded setting", async () => ((await checked()) === false ? true : undefined));
    });
  });

  it("signs out back to the sign-in form", async () => {
    await step(async () => {
      await page.click(testId("signout-button"));
      await page.waitForVisible(testId("auth-form"));
      expect(await page.findAll(testId("signout-button"))).toHaveLength(0);
    });
  });
});
