// Why: the browser security headers (worker/src/security/) must be on every answer the worker
// gives a browser — success, refusal, unknown route — and HSTS only over HTTPS (RFC 6797 §7.2).
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, errorOf, postJson } from "./support/http.ts";

/** The CSP as a directive → sources map, so assertions do not depend on the order. */
function cspOf(res: Response): Map<string, string[]> {
  const header = res.headers.get("content-security-policy");
  expect(header, "Content-Security-Policy").toBeTruthy();
  return new Map(
    header!
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function expectSecurityHeaders(res: Response): void {
  const csp = cspOf(res);
  expect(csp.get("default-src")).toEqual(["'self'"]);
  expect(csp.get("script-src")).toEqual(["'self'"]);
  expect(csp.get("object-src")).toEqual(["'none'"]);
  expect(csp.get("base-uri")).toEqual(["'none'"]);
  expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBeTruthy();
  expect(res.headers.get("permissions-policy")).toMatch(/microphone=\(self\)/);
  expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
}

describe("security headers", () => {
  it("are on a JSON 200 from the API", async () => {
    const res = await call("/api/health");
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
  });

  it("are on a 4xx refusal from the API", async () => {
    const res = await postJson("/api/sessions", { serial: "PH-NOPE", accessCode: "x" }, { headers: { origin: "http://evil.test" } });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("forbidden");
    expectSecurityHeaders(res);
  });

  it("are on an unknown API route", async () => {
    const res = await call("/api/no-such-route");
    expect(res.status).toBe(404);
    expectSecurityHeaders(res);
  });

  it("are on a refused WebSocket route reached without an upgrade", async () => {
    for (const path of ["/ws/view/PH-TEST-1", "/ws/device/PH-TEST-1"]) {
      const res = await call(path);
      expect(res.status, path).toBe(400);
      expectSecurityHeaders(res);
    }
  });

  it("are on a camera's refused WebSocket upgrade, which still opens and says why", async () => {
    const res = await call("/ws/device/PH-TEST-1", { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(401);
    expectSecurityHeaders(res);

    // A viewer's refusal travels inside an accepted socket (ws/reject-socket.ts); the headers
    // must not get in its way.
    const view = await call("/ws/view/PH-TEST-1", { headers: { upgrade: "websocket" } });
    expect(view.status).toBe(101);
    const ws = view.webSocket!;
    const first = new Promise<string>((resolve) => ws.addEventListener("message", (e) => resolve(String(e.data))));
    ws.accept();
    expect(JSON.parse(await first)).toMatchObject({ type: "error", code: "ticket_invalid" });
  });

  it("let the PWA talk to its own edge: WebSocket, blob: media and the service worker", async () => {
    const csp = cspOf(await call("/api/health"));
    expect(csp.get("connect-src")).toContain("'self'");
    expect(csp.get("media-src")).toEqual(["'self'", "blob:"]);
    expect(csp.get("img-src")).toEqual(["'self'", "blob:"]);
    expect(csp.get("worker-src")).toEqual(["'self'"]);
    expect(csp.get("manifest-src")).toEqual(["'self'"]);
  });

  it("include HSTS over HTTPS only", async () => {
    const secure = await exports.default.fetch("https://edge.test/api/health");
    expect(secure.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}/);
    const plain = await call("/api/health");
    expect(plain.headers.get("strict-transport-security")).toBeNull();
  });
});
