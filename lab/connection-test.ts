// Why: issue 11 — the browser side of "which path will this pair take". The lab runs the PWA's
// own "Test my connection" page in the viewer's namespace, signed in as the camera's owner, and
// reads its verdict and its predicted path from the page's data-* hooks (README "Test my
// connection"), so the prediction checked against the actual path is the one people see.
import type { Browser, BrowserContext, Cookie, Page } from "playwright-core";
import type { NatSide, PredictedPath, PredictionReason } from "../protocol/index.ts";
import { EDGE_URL } from "./addresses.ts";

export interface LabOwner {
  email: string;
  password: string;
}

export interface ConnectionTestReading {
  side: NatSide;
  predictedPath: PredictedPath;
  predictionReason: PredictionReason;
  sameNetwork: boolean;
  /** The verdict the page cached for this device (web/src/nat/viewer-nat-cache.ts), to seed the viewer's context with. */
  cached: Record<string, string>;
}

/** Where the PWA keeps this device's latest verdict (web/src/nat/viewer-nat-cache.ts). */
const VIEWER_NAT_KEY = "porthole.viewerNat";

/** POSTs/PATCHes JSON from inside the page (same origin: the session cookie and CSRF rules apply as in the PWA). */
async function call(page: Page, method: string, url: string, body: unknown): Promise<{ status: number; code?: string }> {
  return page.evaluate(
    async ([m, u, b]) => {
      const res = await fetch(u, { method: m, headers: { "content-type": "application/json" }, body: JSON.stringify(b) });
      // Errors come as { error: { code } } (protocol/errors.ts).
      const json = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
      return { status: res.status, code: json.error?.code };
    },
    [method, url, body] as const,
  );
}

/** Signs the context in as the camera's owner (lab/provision-camera.ts made the account and claimed the camera). */
async function signInOwner(page: Page, owner: LabOwner): Promise<void> {
  await page.goto(`${EDGE_URL}/`, { timeout: 15_000 });
  const r = await call(page, "POST", "/api/auth/login", { email: owner.email, password: owner.password });
  if (r.status >= 300) throw new Error(`lab owner sign-in failed: HTTP ${r.status} ${r.code ?? ""}`);
}

/** One signed-in browser context per viewer namespace, reused for every test run in it. */
export function createConnectionTester(browser: Browser, owner: LabOwner, serial: string) {
  let context: BrowserContext | undefined;
  const signedIn = async (): Promise<BrowserContext> => {
    if (!context) {
      const ctx = await browser.newContext();
      try {
        await signInOwner(await ctx.newPage(), owner);
      } catch (e) {
        await ctx.close();
        throw e;
      }
      context = ctx;
    }
    return context;
  };
  return {
    /** The owner's session cookie(s), for a view in a fresh context signed in as the owner. */
    async cookies(): Promise<Cookie[]> {
      return (await signedIn()).cookies();
    },
    /** A new page in the owner's signed-in context (the caller closes it). */
    async ownerPage(): Promise<Page> {
      return (await signedIn()).newPage();
    },
    async run(timeoutMs = 30_000, screenshotPath?: string): Promise<ConnectionTestReading> {
      const page = await (await signedIn()).newPage();
      try {
        await page.goto(`${EDGE_URL}/test?camera=${encodeURIComponent(serial)}`, { timeout: 15_000 });
        const root = page.locator('[data-testid="connection-test"][data-state="done"]');
        await root.waitFor({ timeout: timeoutMs });
        if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });
        const attr = async (name: string): Promise<string> => {
          const v = await root.getAttribute(name);
          if (v === null) throw new Error(`the connection test finished without ${name} (page text: ${(await page.locator("main").innerText()).slice(0, 400)})`);
          return v;
        };
        return {
          side: {
            mapping: (await attr("data-nat-mapping")) as NatSide["mapping"],
            filtering: (await attr("data-nat-filtering")) as NatSide["filtering"],
            udpBlocked: (await attr("data-udp-blocked")) === "true",
          },
          predictedPath: (await attr("data-predicted-path")) as PredictedPath,
          predictionReason: (await attr("data-prediction-reason")) as PredictionReason,
          sameNetwork: (await attr("data-same-network")) === "true",
          cached: await page.evaluate((key) => {
            const v = localStorage.getItem(key);
            return v === null ? ({} as Record<string, string>) : { [key]: v };
          }, VIEWER_NAT_KEY),
        };
      } finally {
        await page.close();
      }
    },
    async close(): Promise<void> {
      await context?.close().catch(() => {});
    },
  };
}
export type ConnectionTester = ReturnType<typeof createConnectionTester>;
