// Why: presence (GET /api/devices/:serial) is public and answered without any secret, so the only
// thing to bound is how fast one address can scrape it. A D1 counter would add a write to every
// lookup the PWA makes while polling; a Workers rate-limit binding (wrangler.toml [[ratelimits]],
// simulated by miniflare in `npm start` and the tests) counts in memory at the Cloudflare location
// instead. Its counts are per location and approximate, which is fine here: nothing is guessed.
import { PortholeError } from "../errors.ts";

/** wrangler.toml's PRESENCE_LIMITER period: a refused lookup is told to wait at most this long. */
export const PRESENCE_LIMIT_PERIOD_SECONDS = 60;

/** Throws rate_limited when this address has used its lookups for the current period. */
export async function throttlePresence(limiter: RateLimit, ip: string): Promise<void> {
  const { success } = await limiter.limit({ key: ip });
  // The binding does not say when its window turns over; a full period is the safe answer.
  if (!success) throw PortholeError.rateLimited(PRESENCE_LIMIT_PERIOD_SECONDS);
}
