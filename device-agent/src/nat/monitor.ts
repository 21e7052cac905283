// Why: a camera's NAT type changes only when its network does (a new router, another uplink), so
// the agent runs discovery at start, when its local address set changes, and otherwise at most
// every few hours — never per session, since the negative filtering tests wait out a timeout.
import { networkInterfaces } from "node:os";
import type { IceServer } from "../../../protocol/index.ts";
import { discoverNatBehavior, type NatDiscoveryOptions, type NatReport } from "./discover.ts";

export type StunTarget = readonly [host: string, port: number];
/** `requested`: an operator asked (SIGUSR2 to porthole-agent), e.g. after changing the router. */
export type NatDiscoveryReason = "start" | "network-change" | "refresh" | "requested";

/** Default period between runs on an unchanged network. */
export const NAT_REFRESH_MS = 4 * 60 * 60 * 1000;
/** How often the local address set is compared. */
export const NAT_POLL_MS = 30_000;

export interface NatMonitorOptions {
  onReport: (report: NatReport, reason: NatDiscoveryReason) => void;
  /** Runs one discovery (default: discoverNatBehavior over real sockets). */
  discover?: (o: NatDiscoveryOptions) => Promise<NatReport>;
  refreshMs?: number;
  pollMs?: number;
  /** A fingerprint of the host's addresses; a change means a network change (default: its IPv4 addresses). */
  addressFingerprint?: () => string;
  now?: () => number;
}

export interface NatMonitor {
  /** Sets the STUN server (and a second one on another IP, for the fallback mapping test). */
  setServers(primary: StunTarget, alt?: StunTarget): void;
  /** Takes the servers from a session's ICE servers unless they were set explicitly. */
  learnFrom(iceServers: readonly IceServer[]): void;
  start(): void;
  stop(): void;
  /**
   * Runs discovery now (once a STUN server is known). Asked during a run, it runs again right
   * after: the answer in flight may describe the network from before the change.
   */
  refresh(): void;
  /** The latest report, if a discovery has finished. */
  readonly last: NatReport | undefined;
}

/** The host's non-internal IPv4 addresses, sorted: the network as the agent sees it. */
export function localIpv4Fingerprint(): string {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === "IPv4" && !a.internal)
    .map((a) => a.address)
    .sort()
    .join(",");
}

/** "host:port", "host" (port 3478) or a stun:/turn: URL; undefined if it is none of those. */
export function parseStunTarget(text: string): StunTarget | undefined {
  const m = /^(?:(?:stuns?|turns?):)?(\[[^\]]+\]|[^:?/\s]+)(?::(\d{1,5}))?(?:\?.*)?$/.exec(text.trim());
  if (!m?.[1]) return undefined;
  const port = m[2] ? Number(m[2]) : 3478;
  return port >= 1 && port <= 65535 ? [m[1], port] : undefined;
}

/**
 * The STUN servers in a list of ICE servers: the first stun: URL, then one on another host (the
 * edge lists the nearest TURN region first and the fallback region next). TLS-only URLs are
 * skipped: discovery is UDP.
 */
export function stunTargetsFrom(iceServers: readonly IceServer[]): StunTarget[] {
  const urls = iceServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
  const udp = urls.filter((u) => u.startsWith("stun:") || (u.startsWith("turn:") && !/transport=tcp/.test(u)));
  const ordered = [...udp.filter((u) => u.startsWith("stun:")), ...udp.filter((u) => u.startsWith("turn:"))];
  const out: StunTarget[] = [];
  for (const url of ordered) {
    const t = parseStunTarget(url);
    if (t && !out.some((o) => o[0] === t[0])) out.push(t);
    if (out.length === 2) break;
  }
  return out;
}

export function createNatMonitor(o: NatMonitorOptions): NatMonitor {
  const discover = o.discover ?? discoverNatBehavior;
  const fingerprint = o.addressFingerprint ?? localIpv4Fingerprint;
  const now = o.now ?? Date.now;
  const refreshMs = o.refreshMs ?? NAT_REFRESH_MS;
  let servers: { primary: StunTarget; alt?: StunTarget; explicit: boolean } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let started = false;
  let lastRunAt: number | undefined;
  let lastFingerprint: string | undefined;
  let last: NatReport | undefined;
  let requested = false;

  const run = async (reason: NatDiscoveryReason): Promise<void> => {
    if (!servers || running) return;
    running = true;
    lastRunAt = now();
    lastFingerprint = fingerprint();
    try {
      last = await discover({ stunServer: servers.primary, ...(servers.alt ? { altServer: servers.alt } : {}) });
      if (started) o.onReport(last, reason);
    } finally {
      running = false;
    }
    if (requested && started) {
      requested = false;
      await run("requested");
    }
  };

  const tick = (): void => {
    if (!servers || running) return;
    if (lastRunAt === undefined) return void run("start");
    if (fingerprint() !== lastFingerprint) return void run("network-change");
    if (now() - lastRunAt >= refreshMs) return void run("refresh");
  };

  const use = (primary: StunTarget, alt: StunTarget | undefined, explicit: boolean): void => {
    if (servers?.explicit && !explicit) return;
    const first = !servers;
    servers = { primary, ...(alt ? { alt } : {}), explicit };
    if (first && started) tick();
  };

  return {
    setServers: (primary, alt) => use(primary, alt, true),
    refresh() {
      if (!started || !servers) return;
      if (running) requested = true;
      else void run("requested");
    },
    learnFrom(iceServers) {
      if (servers) return;
      const [primary, alt] = stunTargetsFrom(iceServers);
      if (primary) use(primary, alt, false);
    },
    start() {
      if (started) return;
      started = true;
      timer = setInterval(tick, o.pollMs ?? NAT_POLL_MS);
      timer.unref();
      tick();
    },
    stop() {
      started = false;
      clearInterval(timer);
    },
    get last() {
      return last;
    },
  };
}
