// Why: one description of how a person uses the PWA (fill serial and code, press Connect), shared
// by e2e tests and the TTFF benchmark; selectors are the PWA's data-testid contract.
import type { Page } from "playwright-core";
import type { PageLike } from "./page-like.ts";

export const testId = (id: string) => `[data-testid="${id}"]`;

export interface PortholeTimings {
  clickAt?: number;
  welcomeAt?: number;
  iceConnectedAt?: number;
  dtlsConnectedAt?: number;
  firstFrameAt?: number;
}

export interface PortholeState {
  stage?: string;
  sessionId?: string | null;
  path?: string | null;
  pathKind?: "lan" | "p2p" | "relay" | null;
  rttMs?: number | null;
  timings: PortholeTimings;
  error?: { code?: string; message?: string } | null;
}

export async function readState(page: PageLike): Promise<PortholeState> {
  return page.evaluate(() => {
    const w = window as unknown as { __porthole?: PortholeState };
    return JSON.parse(JSON.stringify(w.__porthole ?? { timings: {} })) as PortholeState;
  });
}

export async function connect(page: Page, serial: string, accessCode: string): Promise<void> {
  await page.fill(testId("serial-input"), serial);
  await page.fill(testId("code-input"), accessCode);
  await page.click(testId("connect-button"));
}

/** Waits until the PWA reports its first decoded frame; returns the state then. */
export async function waitForFirstFrame(page: PageLike, timeoutMs = 20_000): Promise<PortholeState> {
  await page.waitForFunction(
    () => {
      const w = window as unknown as { __porthole?: PortholeState };
      return Boolean(w.__porthole?.timings?.firstFrameAt) || Boolean(w.__porthole?.error);
    },
    undefined,
    { timeout: timeoutMs, polling: 20 },
  );
  const state = await readState(page);
  if (!state.timings.firstFrameAt) throw new Error(`the PWA reported an error instead of video: ${JSON.stringify(state.error)}`);
  return state;
}

/** What window.__portholeControl answers (web/src/session/debug-handle.ts), results as plain JSON. */
export type ControlOutcome = { ok: true; result: Record<string, unknown> } | { ok: false; error: { code: string; message: string; field?: string } };

/** Sends one camera-control request through the page's own control client (test/debug hook). */
export async function pageControl(page: PageLike, method: string, params: unknown = {}): Promise<ControlOutcome> {
  return page.evaluate(
    ([m, p]) => (window as unknown as { __portholeControl: (m: string, p: unknown) => Promise<unknown> }).__portholeControl(m as string, p),
    [method, params] as const,
  ) as Promise<unknown> as Promise<ControlOutcome>;
}
