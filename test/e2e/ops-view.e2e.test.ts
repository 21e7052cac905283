// The operator view end to end (issue 15 item 3): a scripted mix of sessions against the local
// stack (edge in workerd with local D1, the demo agent, a local coturn, Debian's Chromium) — the
// camera stopped once, a LAN session holding the camera's only viewer slot, a viewer refused
// for it, a forced-relay session, one that fails at ICE — and then an operator signs in at /ops
// with the admin token and the page's figures are compared, number for number, with the script.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { Camera, OpsSummary, SessionRecord, SessionRecordList } from "../../protocol/index.ts";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { waitFor } from "../../scripts/lib/processes.ts";
import { waitForError } from "./support/accounts.ts";
import { startTestStack } from "./support/local-stack.ts";
import { connect, readState, testId, waitForFirstFrame } from "./support/pwa.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: LaunchedBrowser;
let ownerCookie: string;
let opsCookie: string;

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";", 1)[0]).join("; ");

beforeAll(async () => {
  stack = await startTestStack("ops-view", { turn: true });
  expect(stack.coturn, "coturn (Debian package `coturn`) must be installed for this test").toBeDefined();
  expect(stack.camera.owner, "the local stack's demo camera has an owner").toBeDefined();
  browser = await launchChromium({ viewport: { width: 1280, height: 800 } });
  const login = await fetch(`${stack.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: stack.camera.owner!.email, password: stack.camera.owner!.password }),
  });
  expect(login.status, await login.clone().text()).toBe(200);
  ownerCookie = cookiesOf(login);
  // The test's own operator session, to read the API the page reads (the page signs in itself).
  const ops = await fetch(`${stack.url}/api/ops/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ adminToken: stack.adminToken }) });
  expect(ops.status, await ops.clone().text()).toBe(201);
  opsCookie = cookiesOf(ops);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function summary(): Promise<OpsSummary> {
  const res = await fetch(`${stack.url}/api/ops/summary`, { headers: { cookie: opsCookie } });
  if (!res.ok) throw new Error(`summary: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as OpsSummary;
}

async function ownerCall(method: string, p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${stack.url}${p}`, {
    method,
    headers: { cookie: ownerCookie, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** The owner's view of one session, once its final report has arrived (or undefined after `ms`). */
async function reportOf(sessionId: string, ms = 10_000): Promise<SessionRecord | undefined> {
  return waitFor(
    `the edge to store the report of ${sessionId}`,
    async () => {
      const { sessions } = (await ownerCall("GET", `/api/cameras/${stack.camera.serial}/sessions`)) as SessionRecordList;
      const s = sessions.find((x) => x.sessionId === sessionId);
      return s?.report?.final ? s : undefined;
    },
    ms,
  ).catch(() => undefined);
}

async function newPage(lines: string[]): Promise<Page> {
  const page = await browser.context.newPage();
  page.on("console", (msg) => lines.push(`[console.${msg.type()}] ${msg.text()}`));
  page.on("pageerror", (err) => lines.push(`[pageerror] ${err.message}`));
  return page;
}

const sessionIdOf = (page: Page) => page.evaluate(() => (window as unknown as { __porthole: { sessionId: string } }).__porthole.sessionId);
const pathKindIs = (page: Page, kind: string) =>
  page.waitForFunction((k) => (window as unknown as { __porthole: { pathKind?: string } }).__porthole.pathKind === k, kind, { timeout: 5000 });
const num = async (page: Page, selector: string, attr = "data-value") => Number(await page.locator(selector).first().getAttribute(attr));

describe("the operator view", () => {
  it("shows what a scripted mix of sessions did: LAN, forced relay, refused, failed at ICE, a camera stopped", async () => {
    const lines: string[] = [];
    try {
      const before = await summary();
      const offlineBefore = before.offline.find((o) => o.reason === "clean-stop")?.count ?? 0;

      // 1. The camera is stopped and started again (SIGTERM: it closes cleanly) — one "clean-stop".
      await stack.startAgent();

      // 2. One viewer slot, held by a LAN session.
      const cameras = (await ownerCall("GET", "/api/cameras")) as { cameras: Camera[] };
      const limit = cameras.cameras.find((c) => c.serial === stack.camera.serial)!.maxViewers;
      await ownerCall("PATCH", `/api/cameras/${stack.camera.serial}`, { maxViewers: 1 });
      const lan = await newPage(lines);
      await lan.goto(stack.url);
      await connect(lan, stack.camera.serial, stack.camera.accessCode);
      await waitForFirstFrame(lan);
      await pathKindIs(lan, "lan");
      const lanId = await sessionIdOf(lan);

      // 3. A second viewer is refused while the slot is held.
      const busy = await newPage(lines);
      await busy.goto(stack.url);
      await connect(busy, stack.camera.serial, stack.camera.accessCode);
      await waitForError(busy, "device_busy", 15_000);
      const busyId = await sessionIdOf(busy);
      await busy.close({ runBeforeUnload: true });
      await lan.click(testId("disconnect-button"));
      await ownerCall("PATCH", `/api/cameras/${stack.camera.serial}`, { maxViewers: limit });

      // 4. A forced-relay session through the local coturn.
      const relay = await newPage(lines);
      await relay.goto(`${stack.url}/?relay=1`);
      await connect(relay, stack.camera.serial, stack.camera.accessCode);
      await waitForFirstFrame(relay);
      await pathKindIs(relay, "relay");
      const relayId = await sessionIdOf(relay);
      await relay.click(testId("disconnect-button"));

      // 5. Relay-only ICE with the relay gone: it fails at ICE.
      await stack.coturn!.stop();
      const ice = await newPage(lines);
      await ice.goto(`${stack.url}/?relay=1`);
      await connect(ice, stack.camera.serial, stack.camera.accessCode);
      await ice.waitForFunction(() => Boolean((window as unknown as { __porthole: { error?: unknown } }).__porthole.error), undefined, { timeout: 40_000 });
      expect(await ice.locator(testId("stage-ice")).getAttribute("data-state")).toBe("failed");
      const iceCause = (await readState(ice)).error!.code!;
      const iceId = await sessionIdOf(ice);
      await ice.close({ runBeforeUnload: true });

      for (const id of [lanId, relayId, iceId]) expect(await reportOf(id), `the report of ${id}`).toBeDefined();
      // A refused viewer's page reports too (failed at signaling, device_busy); the operator
      // figures must still count it as refused only — the edge's record, not the client's.
      const busyReport = await reportOf(busyId, 3000);
      console.log(`refused session's own report: ${JSON.stringify(busyReport?.report ? { outcome: busyReport.report.outcome, stage: busyReport.report.stage, cause: busyReport.report.cause } : null)}`);

      const want = {
        lan: 1 + before.sessions.reduce((n, b) => n + b.lan, 0),
        p2p: before.sessions.reduce((n, b) => n + b.p2p, 0),
        relay: 1 + before.sessions.reduce((n, b) => n + b.relay, 0),
        failed: 1 + before.totals.failed,
        refused: 1 + before.totals.refused,
        live: 2 + before.totals.live,
        cleanStop: 1 + offlineBefore,
      };
      const after = await waitFor(
        "the summary to count the script's sessions",
        async () => {
          const s = await summary();
          const cleanStop = s.offline.find((o) => o.reason === "clean-stop")?.count ?? 0;
          return s.totals.live >= want.live && s.totals.refused >= want.refused && s.totals.failed >= want.failed && cleanStop >= want.cleanStop ? s : undefined;
        },
        15_000,
        250,
      );
      console.log(`summary totals ${JSON.stringify(after.totals)}, failures ${JSON.stringify(after.failures)}`);

      // 6. The operator signs in at /ops; a wrong token first.
      const page = await newPage(lines);
      await page.goto(`${stack.url}/ops`);
      await page.fill(testId("ops-admin-token"), "not-the-admin-token");
      await page.click(testId("ops-sign-in-submit"));
      expect(await page.locator(testId("ops-sign-in-error")).textContent()).toBe("That admin token isn't right. Check it and try again.");
      expect(await page.inputValue(testId("ops-admin-token"))).toBe("");
      await page.fill(testId("ops-admin-token"), stack.adminToken);
      await page.click(testId("ops-sign-in-submit"));
      await page.waitForSelector(`${testId("ops-page")}[data-loading="false"] ${testId("ops-totals")}`, { timeout: 10_000 });
      expect(page.url()).toBe(`${stack.url}/ops`);
      expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(stack.adminToken);
      // The last hour holds everything the script did.
      await page.click(testId("ops-range-1h"));
      await page.waitForSelector(`${testId("ops-page")}[data-range="1h"][data-loading="false"] ${testId("ops-totals")}`, { timeout: 10_000 });

      // The picture first, so a run whose figures disagree still shows what the page said.
      const shot = process.env.PORTHOLE_OPS_SCREENSHOT;
      if (shot) {
        mkdirSync(path.dirname(shot), { recursive: true });
        await page.screenshot({ path: shot });
        await page.screenshot({ path: shot.replace(/\.png$/, "-full.png"), fullPage: true });
      }

      // The headline figures.
      expect(await num(page, testId("ops-total-lan"))).toBe(want.lan);
      expect(await num(page, testId("ops-total-p2p"))).toBe(want.p2p);
      expect(await num(page, testId("ops-total-relay"))).toBe(want.relay);
      expect(await num(page, testId("ops-total-failed"))).toBe(want.failed);
      expect(await num(page, testId("ops-total-refused"))).toBe(want.refused);
      expect(await num(page, testId("ops-total-success-rate"))).toBeCloseTo(want.live / (want.live + want.failed), 6);
      expect(await page.locator(testId("ops-total-success-rate")).locator(".ops-figure__value").textContent()).toBe(
        `${Math.round((100 * want.live) / (want.live + want.failed))}%`,
      );

      // The sessions chart's bars add up to the same.
      const bars = await page.$$eval(testId("ops-bucket"), (gs) =>
        gs.map((g) => ({ lan: Number(g.getAttribute("data-lan")), relay: Number(g.getAttribute("data-relay")), failed: Number(g.getAttribute("data-failed")), refused: Number(g.getAttribute("data-refused")) })),
      );
      expect(bars.reduce((n, b) => n + b.lan, 0)).toBe(want.lan);
      expect(bars.reduce((n, b) => n + b.relay, 0)).toBe(want.relay);
      expect(bars.reduce((n, b) => n + b.failed, 0)).toBe(want.failed);
      expect(bars.reduce((n, b) => n + b.refused, 0)).toBe(want.refused);

      // Time to first frame: both sessions with a picture, in the histogram and the phases.
      const bins = await page.$$eval(testId("ops-ttff-bin"), (gs) => gs.map((g) => Number(g.getAttribute("data-value"))));
      expect(bins.reduce((a, b) => a + b, 0)).toBe(want.live);
      expect(await num(page, `${testId("ops-phase")}[data-phase="total"]`, "data-count")).toBe(want.live);
      expect(await num(page, `${testId("ops-phase")}[data-phase="total"]`, "data-p50")).toBeGreaterThan(0);

      // Failures by stage and cause: the ICE failure, under the code the page itself showed.
      const iceRow = `${testId("ops-failure-row")}[data-stage="ice"][data-cause="${iceCause}"]`;
      expect(await num(page, iceRow)).toBe(1 + (before.failures.find((f) => f.stage === "ice" && f.cause === iceCause)?.count ?? 0));
      const failureSum = await page.$$eval(testId("ops-failure-row"), (gs) => gs.reduce((n, g) => n + Number(g.getAttribute("data-value")), 0));
      expect(failureSum).toBe(want.failed);

      // Refused by the edge, by why: the viewer turned away in step 3, and rows that add up to the total.
      const busyRow = `${testId("ops-refusal-row")}[data-code="device_busy"]`;
      expect(await num(page, busyRow)).toBe(1 + (before.refusals.find((r) => r.code === "device_busy")?.count ?? 0));
      expect(await page.locator(`${busyRow} text`).first().textContent()).toBe("Camera at its viewer limit · device_busy");
      const refusalSum = await page.$$eval(testId("ops-refusal-row"), (gs) => gs.reduce((n, g) => n + Number(g.getAttribute("data-value")), 0));
      expect(refusalSum).toBe(want.refused);

      // The camera: one relayed, one failed.
      const cam = `${testId("ops-camera-row")}[data-serial="${stack.camera.serial}"]`;
      const camBefore = before.cameras.find((c) => c.serial === stack.camera.serial);
      expect(await num(page, cam, "data-relayed")).toBe(1 + (camBefore?.relayed ?? 0));
      expect(await num(page, cam, "data-failed")).toBe(1 + (camBefore?.failed ?? 0));

      // Devices offline: the stop in step 1.
      expect(await num(page, `${testId("ops-offline-row")}[data-reason="clean-stop"]`)).toBe(want.cleanStop);
      expect(await page.locator(`${testId("ops-offline-row")}[data-reason="clean-stop"] text`).first().textContent()).toBe("Turned off or software stopped");

      // Relay share by region: every relayed session is in some region's bar.
      const regions = await page.$$eval(testId("ops-region-row"), (gs) => gs.map((g) => ({ relayed: Number(g.getAttribute("data-relayed")), total: Number(g.getAttribute("data-total")) })));
      expect(regions.reduce((n, r) => n + r.relayed, 0)).toBe(want.relay);

      // Each chart's JSON link is the API other tools read, with the page's window.
      const failuresJson = await page.evaluate(async (sel) => {
        const href = document.querySelector<HTMLAnchorElement>(sel)!.href;
        return { href, body: (await (await fetch(href)).json()) as { failures: unknown[] } };
      }, testId("ops-chart-failures-json"));
      expect(new URL(failuresJson.href).pathname).toBe("/api/ops/failures");
      expect(failuresJson.body.failures).toEqual(after.failures);

      // Sign out: the sign-in form again, and the cookie no longer opens the API.
      await page.click(testId("ops-sign-out"));
      await page.waitForSelector(testId("ops-sign-in"));
      expect(await page.evaluate(async () => (await fetch("/api/ops/me")).status)).toBe(401);
    } catch (error) {
      console.error(`${lines.slice(-40).join("\n")}\n--- stack ---\n${stack.logs.slice(-60).join("\n")}`);
      throw error;
    }
  });
});
