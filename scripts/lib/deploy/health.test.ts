import { describe, expect, it } from "vitest";
import { checkHealth } from "./health.ts";

const answers = (...responses: (Response | Error)[]) => {
  const seen: string[] = [];
  const fetch = (async (url: string) => {
    seen.push(url);
    const next = responses.shift() as Response | Error;
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, seen };
};

describe("checkHealth", () => {
  it("retries until the edge answers {ok: true}", async () => {
    const { fetch, seen } = answers(new TypeError("fetch failed"), new Response("", { status: 522 }), Response.json({ ok: true, version: "0.1.0" }));
    const sleeps: number[] = [];
    const result = await checkHealth("https://edge.example/", { attempts: 5, intervalMs: 7, fetch, sleep: async (ms) => void sleeps.push(ms) });
    expect(result).toEqual({ ok: true, version: "0.1.0" });
    expect(seen).toEqual(Array(3).fill("https://edge.example/api/health"));
    expect(sleeps).toEqual([7, 7]);
  });

  it("gives up after the set attempts and names the last answer", async () => {
    const { fetch } = answers(new Response("", { status: 500 }), Response.json({ ok: false }, { status: 503 }));
    const result = await checkHealth("https://edge.example", { attempts: 2, intervalMs: 0, fetch, sleep: async () => {} });
    expect(result).toEqual({ ok: false, reason: 'GET https://edge.example/api/health did not answer {"ok":true} after 2 attempts (last: HTTP 503 {"ok":false})' });
  });
});
