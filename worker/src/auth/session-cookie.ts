// Why: the session JWT travels only in an HttpOnly cookie (no script can read it), SameSite=Lax
// (not sent on cross-site subrequests or POSTs), and Secure everywhere except plain-http
// loopback, where `wrangler dev` runs and a Secure cookie would never be stored.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SESSION_COOKIE_NAME, USER_SESSION_TTL_SECONDS } from "../../../protocol/index.ts";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Local development: http on a loopback host (the only case without Secure). */
export function isLocalDev(url: string): boolean {
  const u = new URL(url);
  return u.protocol === "http:" && LOOPBACK_HOSTS.has(u.hostname);
}

function options(c: Context) {
  return { httpOnly: true, sameSite: "Lax", path: "/", secure: !isLocalDev(c.req.url) } as const;
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE_NAME) || undefined;
}

export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE_NAME, token, { ...options(c), maxAge: USER_SESSION_TTL_SECONDS });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE_NAME, options(c));
}
