// Why: "cannot resolve the server" is the seed's most common cause after the cable; an edge given
// as an IP literal needs no DNS, so that passes without a lookup.
import { isIP } from "node:net";
import { classifyNetError, type NetError } from "./net-error.ts";
import { check, type CheckResult } from "./types.ts";

export type DnsOutcome = { ok: true; addresses: string[]; ms: number } | { ok: false; error: NetError };

/** Host name of an edge URL without IPv6 brackets. */
export function edgeHost(edge: string): string {
  return new URL(edge).hostname.replace(/^\[|\]$/g, "");
}

export function isIpLiteral(host: string): boolean {
  return isIP(host) !== 0;
}

/** Resolves with `lookupAll` and gives up after `timeoutMs` (a DNS server that never answers). */
export async function probeDns(host: string, lookupAll: (host: string) => Promise<string[]>, timeoutMs: number): Promise<DnsOutcome> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const addresses = await Promise.race([
      lookupAll(host),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })), timeoutMs))),
    ]);
    return { ok: true, addresses, ms: Math.round(performance.now() - t0) };
  } catch (e) {
    return { ok: false, error: classifyNetError(e) };
  } finally {
    clearTimeout(timer);
  }
}

export function evaluateDns(host: string, outcome: DnsOutcome | undefined, timeoutMs: number): CheckResult {
  if (isIpLiteral(host)) return check("dns", "pass", "ok", `The edge is an IP address (${host}): nothing to resolve.`);
  if (!outcome) return check("dns", "skip", "skipped", "Not run.");
  if (outcome.ok) {
    return check("dns", "pass", "ok", `${host} resolves to ${outcome.addresses.join(", ")} (${outcome.ms} ms).`, undefined, { addresses: outcome.addresses.join(", "), ms: outcome.ms });
  }
  const e = outcome.error;
  const why =
    e.kind === "timeout" || e.detail === "EAI_AGAIN"
      ? `the DNS server did not answer${e.kind === "timeout" ? ` within ${Math.round(timeoutMs / 1000)} s` : ""}`
      : e.detail === "ENOTFOUND"
        ? "no such name"
        : e.detail;
  return check("dns", "fail", "dns_failed", `Cannot resolve the edge's name ${host}: ${why}.`,
    "Check the spelling of --edge (PORTHOLE_EDGE_URL) and the camera's DNS server (from DHCP or /etc/resolv.conf): `getent hosts " + host + "` should print an address.",
    { host, error: e.detail });
}
