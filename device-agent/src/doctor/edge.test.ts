import { describe, expect, it } from "vitest";
import { evaluateDns } from "./dns.ts";
import { evaluateEdgeHttps, httpOrigin } from "./edge-https.ts";
import { evaluateEdgeWebSocket } from "./edge-websocket.ts";
import { evaluateNat } from "./nat.ts";
import { classifyNetError } from "./net-error.ts";

describe("edge checks", () => {
  it("sorts fetch's nested causes into kinds: refused, DNS, TLS, timeout", () => {
    const fetchFailed = (cause: unknown) => new TypeError("fetch failed", { cause });
    expect(classifyNetError(fetchFailed(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).kind).toBe("refused");
    expect(classifyNetError(fetchFailed(Object.assign(new Error("getaddrinfo ENOTFOUND x"), { code: "ENOTFOUND" }))).kind).toBe("dns");
    expect(classifyNetError(fetchFailed(Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" })))).toEqual({ kind: "tls", detail: "CERT_HAS_EXPIRED" });
    expect(classifyNetError(new DOMException("The operation was aborted due to timeout", "TimeoutError")).kind).toBe("timeout");
  });

  it("names a closed port as the edge being unreachable, with the host and port", () => {
    const r = evaluateEdgeHttps("http://127.0.0.1:39999", { ok: false, error: { kind: "refused", detail: "ECONNREFUSED" } }, 5000);
    expect(r).toMatchObject({ status: "fail", code: "edge_unreachable" });
    expect(r.message).toBe("Cannot reach the edge at 127.0.0.1:39999: connection refused (nothing listens there, or a firewall rejects it).");
  });

  it("fails something that answers /api/health but is not a Porthole edge", () => {
    const r = evaluateEdgeHttps("https://router.lan", { ok: true, status: 404, body: "<html>", date: undefined, rttMs: 3, receivedAt: 0 }, 5000);
    expect(r).toMatchObject({ status: "fail", code: "edge_unexpected" });
  });

  it("passes the edge's health answer and turns ws(s) edges into http(s)", () => {
    expect(httpOrigin("wss://edge.example.com/")).toBe("https://edge.example.com");
    const r = evaluateEdgeHttps("https://edge.example.com", { ok: true, status: 200, body: '{"ok":true,"version":"0.1.0"}', date: undefined, rttMs: 40, receivedAt: 0 }, 5000);
    expect(r.status).toBe("pass");
    expect(r.message).toContain("edge.example.com:443");
  });

  it("passes WebSocket when the edge itself refuses both probes, and blames a proxy when the upgrade is stripped", () => {
    const edgeRefusal = { device: { kind: "http" as const, status: 401, code: "unauthorized" }, viewer: { kind: "opened" as const, closeCode: 4401, reason: "ticket_invalid" } };
    expect(evaluateEdgeWebSocket(edgeRefusal, 5000).status).toBe("pass");
    const stripped = evaluateEdgeWebSocket({ ...edgeRefusal, device: { kind: "http", status: 400, code: "bad_request" } }, 5000);
    expect(stripped).toMatchObject({ status: "fail", code: "websocket_blocked" });
    expect(stripped.fix).toMatch(/proxy/);
  });

  it("skips DNS for an IP literal and names a name that does not exist", () => {
    expect(evaluateDns("127.0.0.1", undefined, 5000).status).toBe("pass");
    const r = evaluateDns("edge.invalid", { ok: false, error: { kind: "dns", detail: "ENOTFOUND" } }, 5000);
    expect(r).toMatchObject({ status: "fail", code: "dns_failed" });
    expect(r.message).toBe("Cannot resolve the edge's name edge.invalid: no such name.");
  });

  it("reports NAT type and hairpinning as not available with the reason, or explains a symmetric NAT", () => {
    const na = evaluateNat({ ok: false, reason: "NAT discovery is not built in." });
    expect(na.map((c) => [c.id, c.status, c.message])).toEqual([
      ["nat_type", "skip", "Not available: NAT discovery is not built in."],
      ["hairpinning", "skip", "Not available: NAT discovery is not built in."],
    ]);
    const sym = evaluateNat({ ok: true, summary: { natType: "symmetric", label: "Symmetric NAT", mapping: "address-and-port-dependent", filtering: "address-and-port-dependent", hairpinning: false, rfc5780: true } });
    expect(sym.map((c) => [c.code, c.status])).toEqual([["nat_symmetric", "warn"], ["hairpin_missing", "warn"]]);
  });
});
