// Why: the session is an ambient cookie, so a foreign page must not be able to make the
// browser send a state-changing request with it (or sign the victim in to another account).
// POST is the only unsafe method a page can send cross-site without a CORS preflight, and only
// with a "simple" content type (form, text/plain), so requiring application/json on POST
// forces a preflight we never answer. Origin, when the browser sends it, must be our own.
// (SameSite=Lax already withholds the cookie from cross-site POSTs; this does not rely on it.)
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.ts";
import { PortholeError } from "../errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const csrfGuard = createMiddleware<AppEnv>(async (c, next) => {
  const method = c.req.method.toUpperCase();
  if (!SAFE_METHODS.has(method)) {
    const origin = c.req.header("origin");
    if (origin !== undefined && origin !== new URL(c.req.url).origin) {
      throw new PortholeError("forbidden", "Cross-origin requests are not allowed.");
    }
    const type = c.req.header("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
    if (method === "POST" && type !== "application/json") {
      throw PortholeError.badRequest("send the body as application/json");
    }
  }
  await next();
});
