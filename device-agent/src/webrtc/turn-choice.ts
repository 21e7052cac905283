// Why: the edge hands the camera STUN and TURN URLs for its nearest coturn region plus a
// fallback region (worker/src/turn/regions.ts), but werift 0.25 uses only the first stun: and
// the first turn: URL it finds (falling back from UDP to TCP on that same host:port by itself).
// With the nearest region down, or its ports blocked on the camera's network, every session
// would gather no relay candidate, and a camera behind a symmetric NAT could not be reached.
// So the agent remembers which TURN endpoints just failed to allocate and hands werift the first
// one that has not, with the STUN URL of the same region (the same coturn answers both).
import type { IceServer } from "../../../protocol/index.ts";

/** How long a TURN endpoint that failed to allocate is passed over. */
export const TURN_FAILURE_MEMORY_MS = 10 * 60_000;

/** What the agent remembers of TURN endpoints across sessions (one per agent process). */
export interface TurnHealth {
  markFailed(url: string, now: number): void;
  markOk(url: string): void;
  failedAt(url: string): number | undefined;
}

/**
 * The endpoint a URL reaches, as werift tries it: a turn: URL over UDP falls back to TCP on the
 * same host:port, so one failure covers both transports; turns: (TLS) is its own endpoint.
 */
export function turnEndpoint(url: string): string {
  const m = /^(turns?):([^?]+)/i.exec(url.trim());
  return m ? `${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}` : url;
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

export interface IceChoice {
  /** The servers to give werift: the chosen STUN URL and the chosen TURN URL, nothing else. */
  servers: IceServer[];
  stunUrl?: string;
  turnUrl?: string;
  /** TURN URLs passed over because they failed recently (for the log). */
  skipped: string[];
}

const urlsOf = (s: IceServer): string[] => (Array.isArray(s.urls) ? s.urls : [s.urls]);

/**
 * Picks the TURN URL werift will use: the first one (in the edge's order, nearest region first)
 * whose endpoint has not failed within TURN_FAILURE_MEMORY_MS; if all have, the one that failed
 * longest ago. The STUN URL comes from the chosen TURN URL's region when it has one.
 */
export function chooseIceServers(servers: readonly IceServer[], health: TurnHealth, now: number): IceChoice {
  const turns = servers.flatMap((server) => urlsOf(server).filter((u) => /^turns?:/i.test(u) && server.username && server.credential).map((url) => ({ url, server })));
  const recent = (url: string): number | undefined => {
    const at = health.failedAt(url);
    return at !== undefined && now - at < TURN_FAILURE_MEMORY_MS ? at : undefined;
  };
  const skipped: string[] = [];
  let chosen = turns.find((t) => {
    if (recent(t.url) === undefined) return true;
    skipped.push(t.url);
    return false;
  });
  if (!chosen && turns.length > 0) chosen = [...turns].sort((a, b) => (recent(a.url) ?? 0) - (recent(b.url) ?? 0))[0];
  const stunIn = (s: IceServer) => urlsOf(s).find((u) => /^stuns?:/i.test(u));
  const stunUrl = (chosen && stunIn(chosen.server)) ?? servers.map(stunIn).find((u) => u !== undefined);
  const out: IceServer[] = [];
  if (stunUrl) out.push({ urls: stunUrl });
  if (chosen) out.push({ urls: chosen.url, username: chosen.server.username!, credential: chosen.server.credential! });
  return {
    servers: out,
    ...(stunUrl ? { stunUrl } : {}),
    ...(chosen ? { turnUrl: chosen.url } : {}),
    skipped: chosen && recent(chosen.url) !== undefined ? skipped.filter((u) => u !== chosen.url) : skipped,
  };
}
