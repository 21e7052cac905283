// Why: the e2e helpers (PWA state, picture measurements, sign-in) only read and drive a page.
// Typed against this small shape, they serve playwright's Chromium Page as it is and the
// cross-browser driver's pages (browsers.ts) alike, so each flow is written once for both.

/** The page operations the shared e2e helpers use, with playwright's argument order. */
export interface PageLike {
  goto(url: string): Promise<unknown>;
  click(selector: string): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  waitForSelector(selector: string, options: { timeout?: number; state?: "visible" | "attached" | "detached" }): Promise<unknown>;
  /** Runs `fn(arg)` in the page; `fn` is serialised, so it may use only its argument. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** Runs `fn(element, arg)` on the first element matching `selector`. */
  $eval<R, A = undefined>(selector: string, fn: (el: Element, arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** Resolves once `fn(arg)` is truthy in the page; polls every `polling` ms. */
  waitForFunction<A>(fn: (arg: A) => unknown, arg: A, options: { timeout?: number; polling?: number }): Promise<unknown>;
}
