// Why: the worker's own answers (API JSON, refusals, unknown routes, and the asset fallback it
// proxies) carry the origin's security headers too. Static assets served before the worker get
// them from `_headers` (headers-file.ts); only here can HSTS depend on the transport.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.ts";
import { securityHeaders } from "./policy.ts";

/**
 * Registered first, so it also sees what `app.onError` and `app.notFound` produced (hono hands
 * an outer middleware the error response once next() returns).
 */
export const securityHeadersMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  // A 101 hands the connection to the WebSocket protocol: no document is ever built from it,
  // and re-creating it to add headers (the DeviceHub's responses are immutable) would risk the
  // socket it carries for headers nobody reads.
  if (c.res.status === 101) return;
  for (const [name, value] of Object.entries(securityHeaders(new URL(c.req.url).protocol === "https:"))) {
    c.header(name, value);
  }
});
