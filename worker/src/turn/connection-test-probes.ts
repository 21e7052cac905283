// Why: the browser's connection test needs three STUN destinations to compare mappings (RFC 5780
// §4.3: the primary address, another IP, another port) and each relay transport on its own, with
// credentials that die in two minutes. Which URLs those are is deployment config (TURN_REGIONS),
// so the choice is made here, purely, and unit-tested.
import { CONNECTION_TEST_TURN_TTL_SECONDS, type IceServer, type RelayProbe, type RelayProbeTransport, type StunProbe } from "../../../protocol/index.ts";
import type { TurnConfig } from "./config.ts";
import { mintTurnCredential } from "./credentials.ts";
import { pickRegions, type RequesterLocation, type TurnRegion } from "./regions.ts";

/** coturn's default alt-listening-port is the listening port + 1. */
const DEFAULT_STUN_PORT = 3478;

interface HostPort {
  host: string;
  port: number;
}

/** host and port of a stun:/turn:/turns: URL (RFC 7064 / RFC 7065), or null when unreadable. */
export function hostPortOf(url: string): HostPort | null {
  const m = /^(?:stuns?|turns?):(\[[0-9a-fA-F:.]+\]|[^:?\s]+)(?::(\d{1,5}))?(?:\?.*)?$/.exec(url);
  if (!m?.[1]) return null;
  const tls = url.startsWith("turns:") || url.startsWith("stuns:");
  const port = m[2] ? Number(m[2]) : tls ? 5349 : DEFAULT_STUN_PORT;
  return port >= 1 && port <= 65535 ? { host: m[1], port } : null;
}

const stunUrl = (hp: HostPort): string => `stun:${hp.host}:${hp.port}`;

/** Which relay transport a TURN URL names (RFC 7065: turns: is TLS; transport defaults to UDP). */
export function relayTransportOf(url: string): RelayProbeTransport | null {
  if (url.startsWith("turns:")) return "tls";
  if (!url.startsWith("turn:")) return null;
  return /[?&]transport=tcp\b/i.test(url) ? "tcp" : "udp";
}

const firstStun = (urls: readonly string[]): string | undefined => urls.find((u) => u.startsWith("stun:"));

/**
 * The STUN destinations, in roles. Without an `altStun` the next region's STUN server stands in
 * for another address, and the primary's port + 1 for another port (coturn answers there only with
 * RFC 5780 on; a silent probe is reported as "not tested", never guessed).
 */
export function stunProbes(regions: readonly TurnRegion[], statics: readonly IceServer[]): StunProbe[] {
  const staticStun = statics.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls])).filter((u) => u.startsWith("stun:"));
  const nearest = regions[0];
  const primaryUrl = (nearest && firstStun(nearest.urls)) ?? staticStun[0];
  const primary = primaryUrl ? hostPortOf(primaryUrl) : null;
  if (!primary) return [];
  const probes: StunProbe[] = [{ role: "primary", url: stunUrl(primary) }];
  const alt = nearest?.altStun ? hostPortOf(nearest.altStun) : null;
  if (alt) {
    probes.push({ role: "alt-address", url: stunUrl(alt) });
    probes.push({ role: "alt-port", url: stunUrl({ host: alt.host, port: nearest?.altStunPort ?? alt.port + 1 }), sameAddressAs: "alt-address" });
    return probes;
  }
  // Another server is another address: the next region's, else another static STUN server.
  const others = [...regions.slice(1).map((r) => firstStun(r.urls)), ...staticStun].filter((u): u is string => !!u);
  const other = others.map(hostPortOf).find((hp) => hp && hp.host !== primary.host);
  if (other) probes.push({ role: "alt-address", url: stunUrl(other) });
  if (primary.port < 65535) probes.push({ role: "alt-port", url: stunUrl({ host: primary.host, port: primary.port + 1 }), sameAddressAs: "primary" });
  return probes;
}

export interface ConnectionTestIce {
  turnConfigured: boolean;
  expiresAt: number | null;
  stun: StunProbe[];
  relays: RelayProbe[];
}

/**
 * What one connection test gets: the STUN probes and the nearest region's TURN URLs one by one,
 * with a credential valid CONNECTION_TEST_TURN_TTL_SECONDS whose id is `<id>.test`, so coturn's
 * log tells a test from a session.
 */
export async function connectionTestIce(
  config: TurnConfig | undefined,
  statics: readonly IceServer[],
  id: string,
  where: RequesterLocation,
  nowMs: number,
): Promise<ConnectionTestIce> {
  const regions = config ? pickRegions(config.regions, where) : [];
  const stun = stunProbes(regions, statics);
  const nearest = regions[0];
  if (!config || !nearest) return { turnConfigured: false, expiresAt: null, stun, relays: [] };
  const cred = await mintTurnCredential(config.secret, `${id}.test`, nowMs, CONNECTION_TEST_TURN_TTL_SECONDS);
  const relays: RelayProbe[] = [];
  for (const url of nearest.urls) {
    const transport = relayTransportOf(url);
    if (transport && !relays.some((r) => r.transport === transport)) relays.push({ transport, region: nearest.id, url, username: cred.username, credential: cred.credential });
  }
  return { turnConfigured: true, expiresAt: cred.expiresAt, stun, relays };
}
