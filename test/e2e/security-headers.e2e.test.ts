// The origin's security headers on real parts: `wrangler dev` serving the built PWA as static
// assets (with the `_headers` file the build writes) in front of the worker, Debian's Chromium,
// and the demo camera's agent. Every kind of response carries the CSP, and a person signing in,
// watching and taking a snapshot meets no CSP violation — while the policy is really enforced.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { CONTENT_SECURITY_POLICY } from "../../worker/src/security/policy.ts";
import { openCamera, signIn } from "./support/accounts.ts";
import { createDiagnostics } from "./support/diagnostics.ts";
import { startTestStack } from "./support/local-stack.ts";
import { testId, waitForFirstFrame } from "./support/pwa.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;

beforeAll(async () => {
  stack = await startTestStack("security-headers");
  if (!stack.camera.owner) throw new Error("this e2e needs the demo owner account (startTestStack with demoOwner)");
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const diagnostics = createDiagnostics(() => stack.logs);

/** What a page reported: `securitypolicyviolation` events and the console's CSP / Permissions-Policy complaints. */
interface Reported {
  violations: string[];
  console: string[];
}

/**
 * A page that records every CSP violation from its first script on. The listener is installed
 * by the browser (addInitScript: DevTools' "evaluate on new document"), which the page's CSP
 * does not govern, so it sees violations of the page's own code.
 */
async function watchedPage(): Promise<{ page: Page; reported: Reported }> {
  const page = await browser.context.newPage();
  diagnostics.watch(page);
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const reported: Reported = { violations: [], console: [] };
  page.on("console", (m) => {
    if (/Content Security Policy|Content-Security-Policy|Permissions-Policy|Permissions policy/i.test(m.text())) reported.console.push(m.text());
  });
  return { page, reported };
}

const violationsOf = (page: Page) => page.evaluate(() => [...(window as unknown as { __cspViolations: string[] }).__cspViolations]);

/** Inserts an inline script; under the CSP it must not run and must be reported. */
async function inlineScriptRuns(page: Page): Promise<{ ran: boolean; violations: string[] }> {
  await page.evaluate(() => {
    (window as unknown as { __cspViolations: string[] }).__cspViolations.length = 0;
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.head.append(s);
  });
  await page.waitForTimeout(200);
  return page.evaluate(() => {
    const w = window as unknown as { __inlineRan?: boolean; __cspViolations: string[] };
    return { ran: w.__inlineRan === true, violations: [...w.__cspViolations] };
  });
}

describe("security headers on the local stack", () => {
  it("serves the PWA's page, scripts, styles, service worker, manifest and API with the CSP, and no HSTS over plain HTTP", async () => {
    const html = await fetch(stack.url);
    const body = await html.text();
    const assets = [...body.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((p) => /^\/assets\/.+\.js$/.test(p)), "the page links its script bundle").toBe(true);
    expect(assets.some((p) => /^\/assets\/.+\.css$/.test(p)), "the page links its style sheet").toBe(true);
    // The build leaves nothing inline that the CSP would have to allow.
    expect(body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(body).not.toMatch(/<style|\sstyle=/);

    const paths = ["/", `/cameras/${stack.camera.serial}`, ...assets, "/sw.js", "/api/health", "/api/me", "/api/no-such-route"];
    for (const p of paths) {
      const res = await fetch(`${stack.url}${p}`);
      await res.arrayBuffer();
      expect(res.headers.get("content-security-policy"), `CSP of ${p} (${res.status})`).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get("x-content-type-options"), p).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), p).toBe("DENY");
      expect(res.headers.get("referrer-policy"), p).toBe("same-origin");
      expect(res.headers.get("permissions-policy"), p).toMatch(/(^|, )microphone=\(self\)/);
      // RFC 6797 §7.2: never over plain HTTP.
      expect(res.headers.get("strict-transport-security"), p).toBeNull();
    }
  });

  it("reports no CSP violation while a person signs in, watches the camera and takes a snapshot", async () => {
    await diagnostics.step(async () => {
      const { page, reported } = await watchedPage();
      const owner = stack.camera.owner!;
      await signIn(page, stack.url, owner.email, owner.password);
      await openCamera(page, stack.camera.serial);
      await waitForFirstFrame(page);
      await page.waitForSelector(testId("controls-dock"), { timeout: 10_000 });

      // Preact's style={{…}} (the playback timeline's ticks) is written through the CSSOM, which
      // style-src does not govern: no 'unsafe-inline' needed, and the ticks are still placed.
      await page.waitForSelector(`${testId("playback-panel")} .playback__tick`, { timeout: 10_000 });
      expect(await page.$eval(".playback__tick", (el) => (el as HTMLElement).style.left)).toMatch(/%$/);

      // The snapshot preview is a blob: image (img-src blob:).
      await Promise.all([page.waitForEvent("download", { timeout: 20_000 }), page.click(testId("snapshot-button"))]);
      const preview = await page.waitForSelector(testId("snapshot-preview"), { timeout: 5_000 });
      await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, preview, { timeout: 5_000 });

      // The service worker registers a couple of seconds after load (worker-src, connect-src).
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

      expect(await violationsOf(page)).toEqual([]);
      expect(reported.console).toEqual([]);

      // …and the policy is in force, not merely sent: an injected inline script is refused.
      const injected = await inlineScriptRuns(page);
      expect(injected.ran).toBe(false);
      expect(injected.violations.join("\n")).toMatch(/^script-src-elem blocked inline/);
      await page.close();
    });
  });

  it("keeps the policy in force on the page the service worker hands out", async () => {
    await diagnostics.step(async () => {
      const { page, reported } = await watchedPage();
      await page.goto(stack.url);
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await page.reload();
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      await page.waitForSelector(testId("signout-button"), { timeout: 15_000 });
      expect(await violationsOf(page)).toEqual([]);
      expect(reported.console).toEqual([]);
      const injected = await inlineScriptRuns(page);
      expect(injected.ran).toBe(false);
      await page.close();
    });
  });
});
