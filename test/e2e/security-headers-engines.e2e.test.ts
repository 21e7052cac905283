// The CSP's connect-src is only 'self': that the edge's WebSocket (ws: on this host and port)
// still counts as 'self' is CSP Level 3 (§6.7.2.8), which older engines did not implement. This
// checks it where Safari and Firefox users meet it — Debian's WebKitGTK and Firefox ESR — on the
// real stack: the PWA's page opens the edge's probe socket freely, and a socket to another
// origin is refused and reported, so the policy is in force while it allows the edge.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type DriverBrowser } from "./support/browsers.ts";
import { startTestStack } from "./support/local-stack.ts";
import { launchWebKit, type LaunchedWebKit } from "./support/webkit-browser.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  // Only the edge and its pages: no camera is watched here.
  stack = await startTestStack("security-headers-engines", { agentSource: false, demoOwner: false });
});

afterAll(async () => {
  await stack?.stop();
});

interface SocketProbe {
  /** How the edge's /ws/probe socket ended ("frame, closed 1000" when it worked). */
  own: string;
  violationsAfterOwn: string[];
  /** How a socket to another origin ended. */
  other: string;
  violationsAfterOther: string[];
}

/** Runs in the page: opens the edge's probe socket, then one to another origin. Self-contained (serialised into the page). */
async function probeSockets(urls: { own: string; other: string }): Promise<SocketProbe> {
  const violations: string[] = [];
  document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.effectiveDirective} blocked ${e.blockedURI}`));
  const open = (url: string) =>
    new Promise<string>((resolve) => {
      setTimeout(() => resolve("no close within 5 s"), 5000);
      let ws: WebSocket;
      try {
        ws = new WebSocket(url);
      } catch (e) {
        return resolve(`constructor threw ${(e as Error).name}`);
      }
      let frames = 0;
      ws.onmessage = () => void frames++;
      ws.onclose = (e) => resolve(`${frames ? "frame, " : ""}closed ${e.code}`);
    });
  const settle = () => new Promise((r) => setTimeout(r, 200));
  const own = await open(urls.own);
  await settle();
  const violationsAfterOwn = [...violations];
  const other = await open(urls.other);
  await settle();
  return { own, violationsAfterOwn, other, violationsAfterOther: [...violations] };
}

function socketUrls(): { own: string; other: string } {
  const own = new URL("/ws/probe", stack.url);
  own.protocol = "ws:";
  // Same host, another port: another origin (closed; and not one of Fetch's "bad ports", which
  // WebKit refuses before CSP is asked — port 9 gave no violation there).
  return { own: own.toString(), other: `ws://${own.hostname}:3/` };
}

function expectSelfOnly(probe: SocketProbe): void {
  expect(probe, JSON.stringify(probe)).toMatchObject({ own: "frame, closed 1000", violationsAfterOwn: [] });
  expect(probe.violationsAfterOther.join("\n"), JSON.stringify(probe)).toMatch(/^connect-src blocked ws:\/\/[^/]+:3\/?$/);
}

describe("connect-src 'self' allows the edge's WebSocket and nothing else", () => {
  it("in WebKitGTK", async () => {
    let webkit: LaunchedWebKit | undefined;
    try {
      webkit = await launchWebKit();
      await webkit.session.goto(stack.url);
      await webkit.session.waitForVisible('[data-testid="auth-form"]');
      const probe = await webkit.session.executeAsync<SocketProbe>(
        `const done = arguments[arguments.length - 1]; (${probeSockets.toString()})(arguments[0]).then(done, (e) => done({ own: String(e) }));`,
        socketUrls(),
      );
      expectSelfOnly(probe);
    } catch (error) {
      console.error(`--- webkit ---\n${webkit?.logs.slice(-30).join("\n")}\n--- stack ---\n${stack.logs.slice(-40).join("\n")}`);
      throw error;
    } finally {
      await webkit?.close();
    }
  });

  it("in Firefox", async () => {
    let firefox: DriverBrowser | undefined;
    try {
      firefox = await launchBrowser("firefox");
      const page = await firefox.newPage();
      await page.goto(stack.url);
      await page.waitForSelector('[data-testid="auth-form"]', { state: "visible", timeout: 15_000 });
      expectSelfOnly(await page.evaluate(probeSockets, socketUrls()));
    } catch (error) {
      console.error(`--- stack ---\n${stack.logs.slice(-40).join("\n")}`);
      throw error;
    } finally {
      await firefox?.close();
    }
  });
});
