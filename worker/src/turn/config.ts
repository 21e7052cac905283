// Why: TURN is optional. An edge without TURN_SECRET or TURN_REGIONS hands out no TURN servers
// (ICE_SERVERS alone still works, e.g. a static STUN list or a static coturn user); with both,
// every viewer session gets its own short-lived credentials.
import { parseTurnRegions, type TurnRegion } from "./regions.ts";

export interface TurnConfig {
  secret: string;
  regions: TurnRegion[];
}

let cache: { raw: string; value: TurnRegion[] } | undefined;

/** The TURN configuration, or undefined when either half is unset. A malformed TURN_REGIONS throws. */
export function turnConfig(env: { TURN_SECRET?: string; TURN_REGIONS?: string }): TurnConfig | undefined {
  const secret = env.TURN_SECRET?.trim();
  const raw = env.TURN_REGIONS?.trim();
  if (!secret || !raw || raw === "[]") return undefined;
  if (cache?.raw !== raw) cache = { raw, value: parseTurnRegions(raw) };
  return { secret, regions: cache.value };
}
