// Why: the edge hands the camera STUN and TURN URLs for its nearest coturn region plus a
// fallback region (worker/src/turn/regions.ts), each on up to three transports: UDP, TCP and
// TLS on 443. werift itself allocates on one URL only and falls back from UDP to TCP ~6 s later,
// so a camera whose network blocks UDP (or passes only TCP 443) had no relay in time for its
// first session (issue 10). The agent gathers relays itself (relay-gathering.ts), racing the
// transports the way Happy Eyeballs races address families (RFC 8305 §5): the transport most
// likely to work starts at once, the others a moment later unless a relay has arrived by then.
// What failed lately is remembered across sessions, so the next session starts with what works.
import type { IceServer } from "../../../protocol/index.ts";

/** How long a TURN URL that failed to allocate counts as failed. */
export const TURN_FAILURE_MEMORY_MS = 10 * 60_000;
/**
 * How long the first transport has alone before the others start too. A UDP allocation takes
 * two round trips (the 401 challenge, then the authenticated Allocate, RFC 8656 §7.2); 400 ms
 * covers that on links up to ~200 ms RTT, and a blocked network loses only this much.
 */
export const TURN_STAGGER_MS = 400;

export type TurnTransport = "udp" | "tcp" | "tls";

/** What the agent remembers of TURN URLs across sessions (one per agent process). */
export interface TurnHealth {
  markFailed(url: string, now: number): void;
  markOk(url: string): void;
  failedAt(url: string): number | undefined;
}

/** A URL as a health key: scheme, host, port and transport, lower case, no credentials. */
export function turnEndpoint(url: string): string {
  const t = parseTurnUrl(url);
  return t ? `${t.transport}:${t.host.toLowerCase()}:${t.port}` : url;
}

export function createTurnHealth(): TurnHealth {
  const failures = new Map<string, number>();
  return {
    markFailed(url, now) {
      failures.set(turnEndpoint(url), now);
    },
    markOk(url) {
      failures.delete(turnEndpoint(url));
    },
    failedAt(url) {
      return failures.get(turnEndpoint(url));
    },
  };
}

export interface TurnUrl {
  host: string;
  port: number;
  transport: TurnTransport;
}

/**
 * Parses turn:host[:port][?transport=udp|tcp] and turns:host[:port][?transport=tcp] (RFC 7065).
 * turn: defaults to UDP on 3478, turns: is TLS (over TCP) on 5349. Anything else: undefined.
 */
export function parseTurnUrl(url: string): TurnUrl | undefined {
  const m = /^(turns?):([^?\s]+)(?:\?transport=(udp|tcp))?$/i.exec(url.trim());
  if (!m) return undefined;
  const secure = m[1]!.toLowerCase() === "turns";
  const param = m[3]?.toLowerCase();
  if (secure && param === "udp") return undefined; // DTLS TURN: not offered by our coturn
  const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(m[2]!);
  if (!hostPort) return undefined;
  const host = hostPort[1]!.replace(/^\[|\]$/g, "");
  const port = hostPort[2] ? Number(hostPort[2]) : secure ? 5349 : 3478;
  if (port < 1 || port > 65535) return undefined;
  return { host, port, transport: secure ? "tls" : param === "tcp" ? "tcp" : "udp" };
}

/** One relay allocation to try: its URL, credentials and when to start it. */
export interface TurnAttempt extends TurnUrl {
  url: string;
  username: string;
  credential: string;
  /** Start this long after gathering begins, and only if no relay has been allocated by then. */
  delayMs: number;
}

export interface IceChoice {
  /** What werift itself gets: the STUN URL only (relays are gathered by relay-gathering.ts). */
  servers: IceServer[];
  stunUrl?: string;
  /** The relay allocations to race, first one first. */
  attempts: TurnAttempt[];
  /** TURN URLs passed over or put back because they failed lately (for the log). */
  skipped: string[];
}

const urlsOf = (s: IceServer): string[] => (Array.isArray(s.urls) ? s.urls : [s.urls]);
const TRANSPORT_ORDER: readonly TurnTransport[] = ["udp", "tcp", "tls"];

/**
 * Chooses the region and the race. The region is the first (nearest) one with a transport that
 * has not failed within TURN_FAILURE_MEMORY_MS; if every one has, the one whose failures are
 * oldest. In it, one URL per transport: the first transport in UDP, TCP, TLS order that has not
 * failed lately starts at once, every other transport after TURN_STAGGER_MS (a failed one is
 * still tried then: the camera may have moved to a network where it works). The STUN URL comes
 * from the chosen region.
 */
export function chooseIceServers(servers: readonly IceServer[], health: TurnHealth, now: number): IceChoice {
  const recent = (url: string): number | undefined => {
    const at = health.failedAt(url);
    return at !== undefined && now - at < TURN_FAILURE_MEMORY_MS ? at : undefined;
  };
  const regions = servers
    .filter((s) => s.username && s.credential)
    .map((server) => {
      const byTransport = new Map<TurnTransport, { url: string } & TurnUrl>();
      for (const url of urlsOf(server)) {
        const t = parseTurnUrl(url);
        if (t && !byTransport.has(t.transport)) byTransport.set(t.transport, { url, ...t });
      }
      const turns = TRANSPORT_ORDER.flatMap((tr) => (byTransport.has(tr) ? [byTransport.get(tr)!] : []));
      return { server, turns };
    })
    .filter((r) => r.turns.length > 0);
  const healthy = (r: (typeof regions)[number]) => r.turns.some((t) => recent(t.url) === undefined);
  const newestFailure = (r: (typeof regions)[number]) => Math.max(...r.turns.map((t) => recent(t.url) ?? 0));
  const region = regions.find(healthy) ?? [...regions].sort((a, b) => newestFailure(a) - newestFailure(b))[0];
  const skipped: string[] = [];
  for (const r of regions) {
    if (r === region) break;
    skipped.push(...r.turns.map((t) => t.url));
  }
  const attempts: TurnAttempt[] = [];
  if (region) {
    const first = region.turns.find((t) => recent(t.url) === undefined) ?? [...region.turns].sort((a, b) => (recent(a.url) ?? 0) - (recent(b.url) ?? 0))[0]!;
    for (const t of [first, ...region.turns.filter((t) => t !== first)]) {
      if (t !== first && recent(t.url) !== undefined) skipped.push(t.url);
      attempts.push({ ...t, username: region.server.username!, credential: region.server.credential!, delayMs: t === first ? 0 : TURN_STAGGER_MS });
    }
  }
  const stunIn = (s: IceServer) => urlsOf(s).find((u) => /^stuns?:/i.test(u));
  const stunUrl = (region && stunIn(region.server)) ?? servers.map(stunIn).find((u) => u !== undefined);
  return {
    servers: stunUrl ? [{ urls: stunUrl }] : [],
    ...(stunUrl ? { stunUrl } : {}),
    attempts,
    skipped,
  };
}
