// Why: a deploy is done when the edge answers, not when wrangler exits; a new workers.dev host can
// take a while to resolve, so the check retries for a bounded time and then fails loudly.

export interface HealthOptions {
  attempts: number;
  intervalMs: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export type HealthResult = { ok: true; version: string | null } | { ok: false; reason: string };

/** GETs `<url>/api/health` until it answers 200 {ok: true}, at most `attempts` times. */
export async function checkHealth(url: string, options: HealthOptions): Promise<HealthResult> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const target = `${url.replace(/\/+$/, "")}/api/health`;
  let reason = "no attempt made";
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      const res = await doFetch(target, { signal: AbortSignal.timeout(10_000), headers: { accept: "application/json" } });
      const body = (await res.json().catch(() => null)) as { ok?: unknown; version?: unknown } | null;
      if (res.status === 200 && body?.ok === true) return { ok: true, version: typeof body.version === "string" ? body.version : null };
      reason = `HTTP ${res.status}${body ? ` ${JSON.stringify(body).slice(0, 120)}` : ""}`;
    } catch (error) {
      reason = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
    }
    if (attempt < options.attempts) await sleep(options.intervalMs);
  }
  return { ok: false, reason: `GET ${target} did not answer {"ok":true} after ${options.attempts} attempts (last: ${reason})` };
}
