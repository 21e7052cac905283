// Why: how a person uses the account screens of the PWA (sign up, add a camera, share, revoke),
// written once for the e2e tests; selectors are the PWA's data-testid contract. Each step waits
// for its visible outcome and, when the PWA shows an error instead, fails with that error's text.
import type { Page } from "playwright-core";
import type { PageLike } from "./page-like.ts";
import { readState, testId, type PortholeState } from "./pwa.ts";

let counter = 0;
/** A fresh address per call, so reruns against the same state never collide. */
export function uniqueEmail(who: string): string {
  return `${who}-${Date.now().toString(36)}-${(counter++).toString(36)}@example.test`;
}

export const TEST_PASSWORD = "correct horse battery staple";

/** Waits for `okSelector`; if an error element shows first, throws with its text. */
async function outcome(page: Page, step: string, okSelector: string, errorSelector: string, timeoutMs = 15_000): Promise<void> {
  const winner = await Promise.race([
    page.waitForSelector(okSelector, { state: "visible", timeout: timeoutMs }).then(() => "ok" as const),
    page.waitForSelector(errorSelector, { state: "visible", timeout: timeoutMs }).then(() => "error" as const),
  ]).catch((err: unknown) => {
    throw new Error(`${step}: neither ${okSelector} nor an error appeared within ${timeoutMs} ms (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`);
  });
  if (winner === "error") {
    const el = page.locator(errorSelector).first();
    const code = await el.getAttribute("data-error-code");
    throw new Error(`${step} failed: ${code ? `[${code}] ` : ""}${(await el.textContent())?.trim()}`);
  }
}

/** Signs in on the PWA's sign-in tab; ends signed in. */
export async function signIn(page: PageLike, baseUrl: string, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(baseUrl);
  await page.click(testId("auth-tab-signin"));
  await page.fill(testId("email-input"), email);
  await page.fill(testId("password-input"), password);
  await page.click(testId("signin-button"));
  await page.waitForSelector(testId("signout-button"), { timeout: 15_000 });
}

/** Creates an account on the PWA's sign-up tab; ends signed in, on "My cameras". */
export async function signUp(page: Page, baseUrl: string, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(baseUrl);
  await page.click(testId("auth-tab-signup"));
  await page.fill(testId("email-input"), email);
  await page.fill(testId("password-input"), password);
  await page.click(testId("signup-button"));
  await outcome(page, `sign up ${email}`, testId("signout-button"), `${testId("auth-form")} ${testId("form-error")}`);
}

/** Claims a camera with its label; ends on the camera's page. */
export async function claimCamera(page: Page, serial: string, accessCode: string): Promise<void> {
  await page.click(testId("add-camera-button"));
  await page.fill(testId("claim-serial-input"), serial);
  await page.fill(testId("claim-code-input"), accessCode);
  await page.click(testId("claim-button"));
  await outcome(page, `claim ${serial}`, testId("settings-panel"), `${testId("claim-form")} ${testId("form-error")}`);
}

/** On the camera page (owner): shares with another account. */
export async function shareCamera(page: Page, email: string, role: "viewer" | "guest"): Promise<void> {
  await page.fill(testId("share-email-input"), email);
  await page.selectOption(testId("share-role-select"), role);
  await page.click(testId("share-button"));
  await outcome(page, `share with ${email}`, `${testId("share-list")} [data-email="${email}"]`, testId("share-error"));
}

/** On the camera page (owner): removes a share by the person's email. */
export async function revokeShare(page: Page, email: string): Promise<void> {
  await page.click(`[data-testid^="share-revoke-"][data-email="${email}"]`);
  await page.waitForSelector(`${testId("share-list")} [data-email="${email}"]`, { state: "detached", timeout: 10_000 });
}

/** From "My cameras": opens a camera (which starts playing it). */
export async function openCamera(page: PageLike, serial: string): Promise<void> {
  await page.waitForSelector(testId(`camera-item-${serial}`), { state: "visible", timeout: 15_000 }).catch(() => {
    throw new Error(`camera ${serial} is not in this account's "My cameras" list`);
  });
  await page.click(testId(`camera-item-${serial}`));
}

/** Waits until the session fails with `code` (e.g. access_revoked); returns the state then. */
export async function waitForError(page: PageLike, code: string, timeoutMs: number): Promise<PortholeState> {
  try {
    await page.waitForFunction(
      (c) => (window as unknown as { __porthole?: PortholeState }).__porthole?.error?.code === c,
      code,
      { timeout: timeoutMs, polling: 50 },
    );
  } catch {
    const state = await readState(page);
    throw new Error(`expected the session to end with ${code} within ${timeoutMs} ms; it is at stage ${state.stage} with error ${JSON.stringify(state.error)}`);
  }
  return readState(page);
}

/** The email the PWA says is signed in (window.__porthole.user), null when signed out. */
export async function signedInAs(page: PageLike): Promise<string | null> {
  return page.evaluate(() => (window as unknown as { __porthole?: { user?: string | null } }).__porthole?.user ?? null);
}
