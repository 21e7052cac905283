// Why: several coturn regions can serve one edge; a viewer in Sydney should relay through the
// nearest one, with another as fallback. TURN_REGIONS is parsed once here and the choice is a
// pure function of the requester's location (request.cf), so it is unit-tested.
import { z } from "zod";

const TurnUrlSchema = z.string().regex(/^(stun|turn|turns):[^\s]+$/, "a stun:, turn: or turns: URL").max(256);

export const TurnRegionSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/),
  /** Cloudflare continent code (request.cf.continent): AF, AN, AS, EU, NA, OC, SA. */
  continent: z.string().length(2).optional(),
  /** ISO 3166-1 alpha-2 (request.cf.country). */
  country: z.string().length(2).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  /** stun:, turn:…?transport=udp, turn:…?transport=tcp, turns:…:443?transport=tcp. */
  urls: z.array(TurnUrlSchema).min(1).max(6),
  /**
   * A stun: URL on a second IP address of an RFC 5780 STUN server (turn/DEPLOY.md §8). Browsers
   * cannot read OTHER-ADDRESS, so the connection test compares the mapping this address reports
   * with the region's own stun: URL to tell cone from symmetric NATs.
   */
  altStun: z.string().regex(/^stun:[^\s?]+$/, "a stun: URL").max(256).optional(),
  /** The other port altStun's address answers on (coturn's alt-listening-port; default: its port + 1). */
  altStunPort: z.number().int().min(1).max(65535).optional(),
});
export type TurnRegion = z.infer<typeof TurnRegionSchema>;

const TurnRegionsSchema = z.array(TurnRegionSchema).min(1).max(16);

/** Where a request came from, as far as the edge knows (request.cf; all optional). */
export interface RequesterLocation {
  continent?: string;
  country?: string;
  lat?: number;
  lon?: number;
}

/** Regions handed to one side of a session: the nearest, plus one fallback. */
export const MAX_TURN_REGIONS = 2;

/** Parses TURN_REGIONS (JSON); throws with a readable message when malformed. */
export function parseTurnRegions(raw: string): TurnRegion[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error("TURN_REGIONS is not valid JSON");
  }
  const parsed = TurnRegionsSchema.safeParse(json);
  if (!parsed.success) throw new Error(`TURN_REGIONS is invalid: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Reads the location fields of request.cf (absent under plain `wrangler dev` or for tests). */
export function requesterLocation(cf: unknown): RequesterLocation {
  if (!cf || typeof cf !== "object") return {};
  const c = cf as Record<string, unknown>;
  const loc: RequesterLocation = {};
  if (typeof c.continent === "string" && c.continent.length === 2) loc.continent = c.continent;
  if (typeof c.country === "string" && c.country.length === 2) loc.country = c.country;
  // cf gives latitude/longitude as strings.
  const lat = Number(c.latitude);
  const lon = Number(c.longitude);
  if (c.latitude != null && c.longitude != null && Number.isFinite(lat) && Number.isFinite(lon)) {
    loc.lat = lat;
    loc.lon = lon;
  }
  return loc;
}

/** Great-circle distance in km (haversine); the ranking only needs the order. */
function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/**
 * Orders regions nearest first and keeps `max`: by distance when both sides have coordinates,
 * else same country, then same continent; ties keep TURN_REGIONS order (the operator's default).
 * With no location at all it is simply the first `max` regions.
 */
export function pickRegions(regions: readonly TurnRegion[], loc: RequesterLocation, max = MAX_TURN_REGIONS): TurnRegion[] {
  const score = (r: TurnRegion): number => {
    if (loc.lat !== undefined && loc.lon !== undefined && r.lat !== undefined && r.lon !== undefined) {
      return distanceKm({ lat: loc.lat, lon: loc.lon }, { lat: r.lat, lon: r.lon });
    }
    // Without coordinates: a same-country region beats a same-continent one beats the rest.
    if (loc.country && r.country === loc.country) return 1_000_000;
    if (loc.continent && r.continent === loc.continent) return 2_000_000;
    return 3_000_000;
  };
  return regions
    .map((r, i) => ({ r, i, s: score(r) }))
    .sort((a, b) => a.s - b.s || a.i - b.i)
    .slice(0, max)
    .map((x) => x.r);
}
