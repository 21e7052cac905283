// Why: a W3C WebDriver client small enough to read in one sitting (fetch over HTTP, W3C
// WebDriver §6–§14), so the WebKitGTK tests need no new dependency. Only the commands the tests
// use: navigate, find, click, clear/type, read text/attributes, run a script, and wait.

/** The web element identifier key (W3C WebDriver §12.1). */
const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriverError extends Error {
  readonly error: string;
  constructor(command: string, error: string, message: string) {
    super(`${command}: ${error}: ${message}`);
    this.name = "WebDriverError";
    this.error = error;
  }
}

export interface WebElement {
  id: string;
  selector: string;
}

export class WebDriverSession {
  readonly id: string;
  readonly capabilities: Record<string, unknown>;
  private readonly base: string;

  private constructor(base: string, id: string, capabilities: Record<string, unknown>) {
    this.base = base;
    this.id = id;
    this.capabilities = capabilities;
  }

  /** New Session (§8.1) on the driver at `driverUrl` (http://127.0.0.1:port). */
  static async create(driverUrl: string, capabilities: Record<string, unknown>): Promise<WebDriverSession> {
    const value = (await command(driverUrl, "POST", "/session", { capabilities: { alwaysMatch: capabilities } })) as {
      sessionId: string;
      capabilities: Record<string, unknown>;
    };
    return new WebDriverSession(driverUrl, value.sessionId, value.capabilities);
  }

  private call(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<unknown> {
    return command(this.base, method, `/session/${this.id}${path}`, body);
  }

  async goto(url: string): Promise<void> {
    await this.call("POST", "/url", { url });
  }

  async url(): Promise<string> {
    return (await this.call("GET", "/url")) as string;
  }

  async setWindowSize(width: number, height: number): Promise<void> {
    await this.call("POST", "/window/rect", { width, height });
  }

  /** Find Elements (§12.3.3) by CSS selector; [] when none match. */
  async findAll(selector: string): Promise<WebElement[]> {
    const refs = (await this.call("POST", "/elements", { using: "css selector", value: selector })) as Record<string, string>[];
    return refs.map((r) => ({ id: r[ELEMENT_KEY]!, selector }));
  }

  /** Waits until `selector` matches a displayed element and returns it. */
  async waitForVisible(selector: string, timeoutMs = 15_000): Promise<WebElement> {
    return this.waitUntil(`${selector} to be visible`, async () => {
      for (const el of await this.findAll(selector)) if (await this.displayed(el)) return el;
      return undefined;
    }, timeoutMs);
  }

  /** Waits until nothing matches `selector`. */
  async waitForAbsent(selector: string, timeoutMs = 15_000): Promise<void> {
    await this.waitUntil(`${selector} to be gone`, async () => ((await this.findAll(selector)).length === 0 ? true : undefined), timeoutMs);
  }

  async displayed(el: WebElement): Promise<boolean> {
    return (await this.call("GET", `/element/${el.id}/displayed`)) as boolean;
  }

  async click(selector: string): Promise<void> {
    const el = await this.waitForVisible(selector);
    await this.call("POST", `/element/${el.id}/click`, {});
  }

  /** Clears an input and types `text` into it (key events, so the PWA's onInput runs). */
  async fill(selector: string, text: string): Promise<void> {
    const el = await this.waitForVisible(selector);
    await this.call("POST", `/element/${el.id}/clear`, {});
    await this.call("POST", `/element/${el.id}/value`, { text });
  }

  /**
   * The text of the first element matching `selector` (textContent, whitespace collapsed), once
   * it exists. Not Get Element Text: WebKit's visibility rules leave out text cut by
   * `text-overflow: ellipsis` (a long camera name, the account's email in the top bar).
   */
  async text(selector: string, timeoutMs = 15_000): Promise<string> {
    return this.waitUntil(`${selector} to exist`, async () => {
      const t = await this.execute<string | null>("return document.querySelector(arguments[0])?.textContent ?? null;", selector);
      return t === null ? undefined : t.replace(/\s+/g, " ").trim();
    }, timeoutMs);
  }

  async attribute(selector: string, name: string): Promise<string | null> {
    const el = await this.waitForVisible(selector);
    return (await this.call("GET", `/element/${el.id}/attribute/${encodeURIComponent(name)}`)) as string | null;
  }

  /** Execute Script (§13.2.1): `script` is a function body; `arguments` holds `args`. */
  async execute<T>(script: string, ...args: unknown[]): Promise<T> {
    return (await this.call("POST", "/execute/sync", { script, args })) as T;
  }

  /** Execute Async Script (§13.2.2): the body calls `arguments[arguments.length - 1](result)`. */
  async executeAsync<T>(script: string, ...args: unknown[]): Promise<T> {
    return (await this.call("POST", "/execute/async", { script, args })) as T;
  }

  /** Polls `probe` until it returns something other than undefined. */
  async waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const v = await probe();
        if (v !== undefined) return v;
      } catch (e) {
        // A stale element between renders is normal while the PWA updates; anything else is kept for the message.
        last = e;
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    throw new Error(`WebKit: timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
  }

  /** Take Screenshot (§17.1): the viewport as PNG bytes. */
  async screenshot(): Promise<Buffer> {
    return Buffer.from((await this.call("GET", "/screenshot")) as string, "base64");
  }

  /** Delete Session (§8.2): closes the browser. */
  async close(): Promise<void> {
    await command(this.base, "DELETE", `/session/${this.id}`);
  }
}

async function command(base: string, method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body !== undefined ? { headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: { value?: unknown };
  try {
    parsed = JSON.parse(text) as { value?: unknown };
  } catch {
    throw new WebDriverError(`${method} ${path}`, `http ${res.status}`, text.slice(0, 200));
  }
  const value = parsed.value as { error?: string; message?: string } | null | undefined;
  // Errors come with a 4xx/5xx status (§6.6); a script may well return an object with an `error` field.
  if (!res.ok) {
    throw new WebDriverError(`${method} ${path}`, value?.error ?? `http ${res.status}`, value?.message ?? text.slice(0, 200));
  }
  return parsed.value;
}
