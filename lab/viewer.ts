// Why: the viewer side of the lab is the real PWA in real headless Chromium, running inside a
// home namespace. Playwright talks to Chromium over a stdio pipe (CDP), so a wrapper that execs
// `ip netns exec <ns> chromium` moves the whole browser into the namespace.
import { connect, readState, testId, waitForFirstFrame } from "../test/e2e/support/pwa.ts";
import { EDGE_URL } from "./addresses.ts";
import { launchChromiumInNamespace } from "./ns-chromium.ts";
import { installIceProbe, installLateCandidates, readIceReport, type IceReport } from "./ice-probe.ts";
import type { PathKind } from "./nat-types.ts";
import { createConnectionTester, type ConnectionTester, type LabOwner } from "./connection-test.ts";
import { installPhaseProbe, readPhaseMarks, type ViewerMarks } from "./phase-probe.ts";
import type { PageTimings } from "./session-timeline.ts";

export interface ViewResult {
  connected: boolean;
  path: PathKind | null;
  /** The path `settleMs` after the first frame, when asked for. */
  settledPath?: PathKind | null;
  ttffMs: number | null;
  ice: IceReport;
  /** For the benchmark's timeline (session-timeline.ts): the session id, the page's marks and timings. */
  sessionId?: string | null;
  marks?: ViewerMarks;
  timings?: PageTimings;
  error?: string;
}

export interface LabViewer {
  ns: string;
  /**
   * Opens the PWA in a fresh context and starts a session as a person would, waits for a frame.
   * `auth`: the label's access code (the serial + code form on /watch), or `{ owner }` — the
   * camera's owner, signed in (their session cookie), taps the camera in "My cameras": the
   * product's main path, one signaling request (/ws/watch).
   * `lateCandidatesMs`: the viewer's candidates reach signaling this late (installLateCandidates).
   */
  view(serial: string, auth: string | { owner: LabOwner }, timeoutMs?: number, lateCandidatesMs?: number, settleMs?: number, screenshotPath?: string, storage?: Record<string, string>): Promise<ViewResult>;
  /** The PWA's "Test my connection" in this namespace, signed in as `owner` (one context, kept). */
  tester(owner: LabOwner, serial: string): ConnectionTester;
  close(): Promise<void>;
}

export async function launchLabViewer(ns: string, scratchDir: string, extraArgs: string[] = []): Promise<LabViewer> {
  const browser = await launchChromiumInNamespace(ns, scratchDir, "grid", extraArgs);
  let tester: ConnectionTester | undefined;
  return {
    ns,
    tester(owner, serial) {
      tester ??= createConnectionTester(browser, owner, serial);
      return tester;
    },
    async view(serial, auth, timeoutMs = 20_000, lateCandidatesMs, settleMs, screenshotPath, storage) {
      const context = await browser.newContext();
      if (typeof auth !== "string") {
        tester ??= createConnectionTester(browser, auth.owner, serial);
        // The lab's edge is plain http on a non-loopback address, so its session cookie is Secure
        // (session-cookie.ts) and Chromium, told to treat that origin as secure (labChromiumArgs),
        // still leaves it off the ws:// upgrade. Production is https/wss, where it goes along.
        await context.addCookies((await tester.cookies()).map((c) => ({ ...c, secure: false })));
      }
      try {
        const page = await context.newPage();
        // The page's own errors, for a view that fails (a rare one never leaves "idle").
        const pageErrors: string[] = [];
        page.on("pageerror", (e) => void (pageErrors.length < 5 && pageErrors.push(e.message.slice(0, 200))));
        page.on("console", (m) => void (m.type() === "error" && pageErrors.length < 5 && pageErrors.push(m.text().slice(0, 200))));
        // What this device's browser already knows (its connection test's verdict), as on a phone
        // that ran the test before watching.
        if (storage && Object.keys(storage).length) {
          await page.addInitScript((items: Record<string, string>) => {
            for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v);
          }, storage);
        }
        await page.addInitScript(installIceProbe);
        await page.addInitScript(installPhaseProbe);
        if (lateCandidatesMs) await page.addInitScript(installLateCandidates, lateCandidatesMs);
        if (typeof auth === "string") {
          await page.goto(`${EDGE_URL}/watch`, { timeout: 15_000 });
          await connect(page, serial, auth);
        } else {
          await page.goto(`${EDGE_URL}/`, { timeout: 15_000 });
          await page.click(testId(`camera-item-${serial}`), { timeout: 15_000 });
        }
        try {
          const first = await waitForFirstFrame(page, timeoutMs);
          // The PWA classifies the path from a getStats poll that may land just after the frame.
          await page
            .waitForFunction(() => Boolean((window as unknown as { __porthole?: { pathKind?: string | null } }).__porthole?.pathKind), undefined, { timeout: 5000, polling: 50 })
            .catch(() => {});
          const state = { ...first, pathKind: (await readState(page)).pathKind ?? null };
          const t = state.timings;
          const ttffMs = t.firstFrameAt !== undefined && t.clickAt !== undefined ? t.firstFrameAt - t.clickAt : null;
          let settledPath: PathKind | null | undefined;
          if (settleMs) {
            // Until the path is direct (a relayed start moved), or settleMs have passed.
            const until = performance.now() + settleMs;
            do {
              await page.waitForTimeout(250);
              settledPath = (await readState(page)).pathKind ?? null;
            } while (settledPath !== "p2p" && settledPath !== "lan" && performance.now() < until);
          }
          if (screenshotPath) {
            // Let the stats poll fill the path line and its explanation first, then open the
            // Details panel (folded behind "i" on the live page) so the picture shows them.
            await page.waitForTimeout(1500);
            const details = page.locator('[data-testid="details-toggle"]');
            if ((await details.count()) > 0 && (await details.getAttribute("aria-expanded")) !== "true") await details.click().catch(() => {});
            await page.waitForTimeout(300);
            await page.screenshot({ path: screenshotPath, fullPage: true });
          }
          const sessionId = ((await readState(page)) as { sessionId?: string | null }).sessionId ?? null;
          return { connected: true, path: state.pathKind ?? null, ...(settledPath !== undefined ? { settledPath } : {}), ttffMs, ice: await page.evaluate(readIceReport), sessionId, marks: await page.evaluate(readPhaseMarks), timings: t satisfies PageTimings };
        } catch (error) {
          const state = await readState(page).catch(() => undefined);
          const ice = await page.evaluate(readIceReport).catch(() => ({ local: [], remote: [], pair: null }));
          const message = (error as Error).message.split("\n")[0] ?? "";
          // Stuck at "idle": say what the page showed — its URL, the form's fields and error, and its own errors.
          const idle = state?.stage === "idle" || state?.stage === undefined
            ? await page
                .evaluate(() => {
                  const v = (id: string) => (document.querySelector(`[data-testid="${id}"]`) as HTMLInputElement | null)?.value ?? "—";
                  const err = document.querySelector('[data-testid="form-error"]')?.textContent ?? "none";
                  return ` [page ${location.pathname}; serial "${v("serial-input")}", code ${v("code-input").length} chars; form error: ${err}]`;
                })
                .catch(() => " [page unreadable]")
            : "";
          const errors = pageErrors.length ? ` [page errors: ${pageErrors.join(" | ")}]` : "";
          return { connected: false, path: state?.pathKind ?? null, ttffMs: null, ice, error: `stage ${state?.stage ?? "?"}: ${message}${idle}${errors}` };
        }
      } finally {
        await context.close().catch(() => {});
      }
    },
    async close() {
      await tester?.close();
      await browser.close().catch(() => {});
    },
  };
}
