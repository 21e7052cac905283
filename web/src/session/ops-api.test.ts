import { afterEach, describe, expect, it, vi } from "vitest";
import { getOpsMe, getOpsSummary, opsChartUrl, opsSignIn, opsSignOut } from "./ops-api.ts";

const jsonResponse = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function stubFetch(res: Response) {
  const fn = vi.fn(async (_input: string, _init?: RequestInit) => res);
  vi.stubGlobal("fetch", fn);
  return fn;
}

afterEach(() => vi.unstubAllGlobals());

const P = { p50: null, p95: null, count: 0 };
const SUMMARY = {
  from: 0,
  to: 3_600_000,
  bucketMs: 3_600_000,
  sessions: [{ at: 0, lan: 1, p2p: 0, relay: 1, failed: 1, refused: 1 }],
  totals: { started: 3, live: 2, failed: 1, refused: 1, abandoned: 0, successRate: 2 / 3 },
  ttff: { buckets: [{ le: 250, count: 2 }], phases: { signaling: P, ice: P, dtls: P, firstFrame: P, total: P }, source: "raw" },
  failures: [{ stage: "ice", cause: "ice_failed", count: 1 }],
  refusals: [{ code: "device_busy", count: 1 }],
  cameras: [{ serial: "DEMO-0001", total: 3, relayed: 1, failed: 1 }],
  offline: [],
  regions: [{ region: "local", colo: "local", total: 3, relayed: 1 }],
};

describe("operator API client", () => {
  it("sends the admin token in a JSON body, never in the URL", async () => {
    const fetch = stubFetch(jsonResponse(200, { operator: true, expiresAt: 1 }));
    expect(await opsSignIn("s3cret-admin")).toEqual({ ok: true, value: { operator: true, expiresAt: 1 } });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("/api/ops/session");
    expect(url).not.toContain("s3cret");
    expect(init?.method).toBe("POST");
    expect(JSON.parse(String(init?.body))).toEqual({ adminToken: "s3cret-admin" });
  });

  it("reads operator_required when this browser has no operator session", async () => {
    stubFetch(jsonResponse(401, { error: { code: "operator_required", message: "Operator sign-in required." } }));
    expect(await getOpsMe()).toEqual({ ok: false, error: { code: "operator_required", detail: "Operator sign-in required." } });
  });

  it("asks for the summary of a window and validates it with the shared schema", async () => {
    const fetch = stubFetch(jsonResponse(200, SUMMARY));
    const r = await getOpsSummary({ from: 0, to: 3_600_000 });
    expect(r.ok && r.value.totals.live).toBe(2);
    expect(fetch.mock.calls[0]![0]).toBe("/api/ops/summary?from=0&to=3600000");
  });

  it("refuses a summary that does not match the contract", async () => {
    stubFetch(jsonResponse(200, { ...SUMMARY, totals: null }));
    expect(await getOpsSummary({ from: 0, to: 1 })).toEqual({ ok: false, error: { code: "protocol_error", detail: "bad response body" } });
  });

  it("signs out with DELETE, and links each chart's JSON with the same window", async () => {
    const fetch = stubFetch(new Response(null, { status: 204 }));
    expect(await opsSignOut()).toEqual({ ok: true, value: undefined });
    expect(fetch.mock.calls[0]![1]?.method).toBe("DELETE");
    expect(opsChartUrl("failures", { from: 5, to: 9 })).toBe("/api/ops/failures?from=5&to=9");
  });
});
