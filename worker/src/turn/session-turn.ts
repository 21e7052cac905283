// Why: the credentials of one viewer session, minted when its socket is admitted (WebCrypto is
// async; the hub logic is not) and kept in the viewer's socket attachment until hello. Only the
// region ids are stored, not the URLs, to stay far below workerd's 2 KiB attachment limit.
import type { IceServer } from "../../../protocol/index.ts";
import { mintTurnCredential } from "./credentials.ts";
import { pickRegions, type RequesterLocation, type TurnRegion } from "./regions.ts";
import type { TurnConfig } from "./config.ts";

export interface TurnGrant {
  username: string;
  credential: string;
  /** Region ids, nearest first. */
  regions: string[];
}

/** One grant per side: the viewer relays near the viewer, the camera near the camera. */
export interface SessionTurn {
  viewer: TurnGrant;
  device: TurnGrant;
}

/**
 * Mints both sides' credentials. The usernames differ (`<exp>:<sid>` and `<exp>:<sid>.cam`) so
 * coturn's logs and per-user quota tell the two sides apart.
 */
export async function mintSessionTurn(
  config: TurnConfig,
  sessionId: string,
  where: { viewer: RequesterLocation; device: RequesterLocation },
  nowMs: number,
): Promise<SessionTurn> {
  const [v, d] = await Promise.all([
    mintTurnCredential(config.secret, sessionId, nowMs),
    mintTurnCredential(config.secret, `${sessionId}.cam`, nowMs),
  ]);
  const ids = (loc: RequesterLocation) => pickRegions(config.regions, loc).map((r) => r.id);
  return {
    viewer: { username: v.username, credential: v.credential, regions: ids(where.viewer) },
    device: { username: d.username, credential: d.credential, regions: ids(where.device) },
  };
}

/**
 * The stun: URLs a device's NAT discovery should use (welcome.stun): its nearest regions' first,
 * then the static ICE_SERVERS' ones; at most 4. Empty when the deployment has no STUN at all.
 */
export function deviceStunUrls(staticServers: readonly IceServer[], regions: readonly TurnRegion[], loc: RequesterLocation): string[] {
  const urls = [...pickRegions(regions, loc).flatMap((r) => r.urls), ...staticServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]))];
  return [...new Set(urls.filter((u) => u.startsWith("stun:")))].slice(0, 4);
}

/** At most this many ICE servers go on the wire (protocol schema). */
const MAX_ICE_SERVERS = 8;

/**
 * The ICE servers for one side: its TURN regions first (nearest first; werift uses the first
 * stun: and turn: URL it finds), then the static ICE_SERVERS, capped at the protocol's limit.
 */
export function iceServersWithTurn(staticServers: readonly IceServer[], regions: readonly TurnRegion[], grant: TurnGrant | undefined): IceServer[] {
  const turn: IceServer[] = [];
  for (const id of grant?.regions ?? []) {
    const region = regions.find((r) => r.id === id);
    if (region) turn.push({ urls: [...region.urls], username: grant!.username, credential: grant!.credential });
  }
  return [...turn, ...staticServers].slice(0, MAX_ICE_SERVERS);
}
