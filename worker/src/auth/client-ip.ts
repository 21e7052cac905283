// Why: rate limits are scoped per client address; Cloudflare sets CF-Connecting-IP on every
// request and strips a client-sent one, so it is the one header to trust.
import type { Context } from "hono";

export function clientIp(c: Context): string {
  return c.req.header("cf-connecting-ip") ?? c.req.header("x-real-ip") ?? "unknown";
}
