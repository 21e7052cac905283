import { afterEach, describe, expect, it, vi } from "vitest";
import { errorFrom } from "./api.ts";
import { claimCamera, getMe, listCameras, releaseCamera, revokeShare, signIn, updateCamera } from "./account-api.ts";

const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

function stubFetch(res: Response | Error) {
  const fn = vi.fn(async (_input: string, _init?: RequestInit) => {
    if (res instanceof Error) throw res;
    return res;
  });
  vi.stubGlobal("fetch", fn);
  return fn;
}

afterEach(() => vi.unstubAllGlobals());

const CAMERA = { serial: "DEMO-0001", name: "Demo camera", role: "owner", online: true, lastSeenAt: null, viewers: 1, maxViewers: 3, allowCodeViewing: false };

describe("account API client", () => {
  it("signs in with a JSON body and returns the user", async () => {
    const fetch = stubFetch(jsonResponse(200, { user: { id: "u_abcdefgh12", email: "ann@example.com" }, sessionExpiresAt: "2026-11-20T13:00:00Z" }));
    const r = await signIn({ email: "ann@example.com", password: "correct horse" });
    expect(r).toEqual({ ok: true, value: { user: { id: "u_abcdefgh12", email: "ann@example.com" }, sessionExpiresAt: "2026-11-20T13:00:00Z" } });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("/api/auth/login");
    expect(init?.method).toBe("POST");
    expect((init?.headers as Record<string, string>)["content-type"]).toBe("application/json");
    expect(init?.credentials).toBe("same-origin");
  });

  it("reads the edge's error code when not signed in", async () => {
    stubFetch(jsonResponse(401, { error: { code: "not_signed_in", message: "Sign in first." } }));
    expect(await getMe()).toEqual({ ok: false, error: { code: "not_signed_in", detail: "Sign in first." } });
  });

  it("unwraps the camera list", async () => {
    stubFetch(jsonResponse(200, { cameras: [CAMERA] }));
    expect(await listCameras()).toEqual({ ok: true, value: [CAMERA] });
  });

  it("refuses a camera list that does not match the protocol", async () => {
    stubFetch(jsonResponse(200, { cameras: [{ ...CAMERA, maxViewers: 99 }] }));
    expect(await listCameras()).toMatchObject({ ok: false, error: { code: "protocol_error" } });
  });

  it("claims and updates with the serial in the path", async () => {
    const fetch = stubFetch(jsonResponse(201, CAMERA));
    expect(await claimCamera({ serial: "DEMO-0001", accessCode: "ABCDEF2345" })).toEqual({ ok: true, value: CAMERA });
    stubFetch(jsonResponse(200, { ...CAMERA, maxViewers: 5 }));
    expect(await updateCamera("DEMO-0001", { maxViewers: 5 })).toMatchObject({ ok: true, value: { maxViewers: 5 } });
    expect(fetch.mock.calls[0]![0]).toBe("/api/cameras");
  });

  it("accepts an empty answer to release and revoke", async () => {
    const fetch = stubFetch(new Response(null, { status: 204 }));
    expect(await releaseCamera("DEMO-0001")).toEqual({ ok: true, value: undefined });
    stubFetch(jsonResponse(200, { ok: true }));
    expect(await revokeShare("DEMO-0001", "u_abcdefgh12")).toEqual({ ok: true, value: undefined });
    expect(fetch.mock.calls[0]![1]?.method).toBe("DELETE");
  });

  it("turns a failed fetch into network_error", async () => {
    stubFetch(new TypeError("Failed to fetch"));
    expect(await listCameras()).toEqual({ ok: false, error: { code: "network_error" } });
  });
});

describe("errorFrom", () => {
  it("takes retryAfterSeconds from the body, else from Retry-After", async () => {
    expect(await errorFrom(jsonResponse(429, { error: { code: "rate_limited", message: "x", retryAfterSeconds: 12 } }))).toMatchObject({ code: "rate_limited", retryAfterSeconds: 12 });
    expect(await errorFrom(jsonResponse(429, { error: { code: "rate_limited" } }, { "retry-after": "30" }))).toMatchObject({ code: "rate_limited", retryAfterSeconds: 30 });
  });

  it("names a body that is not an error body by its status", async () => {
    expect(await errorFrom(new Response("<html>", { status: 502 }))).toEqual({ code: "internal", detail: "HTTP 502" });
    expect(await errorFrom(new Response("nope", { status: 404 }))).toEqual({ code: "protocol_error", detail: "HTTP 404" });
  });
});
