// Why: "is the cloud service reachable" is the seed's second question. GET /api/health needs no
// secret and says both that something answers and that it is a Porthole edge.
import { describeNetError, type NetError } from "./net-error.ts";
import { check, type CheckResult } from "./types.ts";

export type HttpProbe =
  | { ok: true; status: number; body: string; /** HTTP Date header */ date: string | undefined; rttMs: number; /** camera clock when the answer arrived */ receivedAt: number }
  | { ok: false; error: NetError };

/** The edge's HTTP origin (ws(s) edges are accepted by the agent too). */
export function httpOrigin(edge: string): string {
  const u = new URL(edge);
  const scheme = u.protocol === "wss:" || u.protocol === "https:" ? "https:" : "http:";
  return `${scheme}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
}

/** host:port as people type it, with the scheme's default port spelled out. */
export function hostPort(edge: string): string {
  const u = new URL(httpOrigin(edge));
  return `${u.hostname}:${u.port || (u.protocol === "https:" ? "443" : "80")}`;
}

export function evaluateEdgeHttps(edge: string, probe: HttpProbe, timeoutMs: number): CheckResult {
  const where = hostPort(edge);
  if (!probe.ok) {
    const e = probe.error;
    if (e.kind === "tls") {
      return check("edge_https", "fail", "edge_tls", `Reached ${where}, but ${describeNetError(e, timeoutMs)}.`,
        "Check the camera's date and time (a wrong clock makes valid certificates look invalid) and whether a proxy or captive portal intercepts HTTPS on this network.",
        { address: where, error: e.detail });
    }
    if (e.kind === "dns") {
      return check("edge_https", "fail", "dns_failed", `Cannot reach ${where}: ${describeNetError(e, timeoutMs)}.`, "See the DNS check.", { address: where, error: e.detail });
    }
    return check("edge_https", "fail", "edge_unreachable", `Cannot reach the edge at ${where}: ${describeNetError(e, timeoutMs)}.`,
      e.kind === "refused"
        ? "Check --edge (PORTHOLE_EDGE_URL) for the right host and port. If it is right, the edge is down or a firewall rejects the connection: `curl " + httpOrigin(edge) + "/api/health` from this host shows which."
        : "Check that this network has internet access and that no firewall drops outgoing HTTPS (TCP 443) from the camera.",
      { address: where, error: e.detail });
  }
  let version: string | undefined;
  try {
    const j = JSON.parse(probe.body) as { ok?: unknown; version?: unknown };
    if (j.ok === true) version = typeof j.version === "string" ? j.version : "unknown";
  } catch {
    /* not JSON: not the edge */
  }
  if (probe.status !== 200 || version === undefined) {
    return check("edge_https", "fail", "edge_unexpected", `${where} answered HTTP ${probe.status} to /api/health, which is not a Porthole edge's answer.`,
      "Check --edge: it must be the Porthole edge's origin (e.g. https://porthole.example.com), not a router page, a proxy or another service.",
      { address: where, status: probe.status });
  }
  return check("edge_https", "pass", "ok", `${where} answers (${probe.rttMs} ms, edge version ${version}).`, undefined, { address: where, rttMs: probe.rttMs, version });
}
