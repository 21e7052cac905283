// Why: cookie-authenticated routes verify the session once, here, and renew it while it is in
// use: once less than half the TTL remains, the response carries a fresh cookie, so an active
// user is never signed out while an idle stolen cookie dies within USER_SESSION_TTL_SECONDS.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { USER_SESSION_TTL_SECONDS } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { PortholeError } from "../errors.ts";
import { readSessionCookie, setSessionCookie } from "./session-cookie.ts";
import { mintUserSession, verifyUserSession, type SessionUser } from "./user-session.ts";

export type UserEnv = AppEnv & { Variables: { user: SessionUser } };
export type MaybeUserEnv = AppEnv & { Variables: { user: SessionUser | undefined } };

/** Sets a fresh session cookie when less than half of the TTL is left; returns the user as renewed. */
export async function renewIfStale<E extends AppEnv>(c: Context<E>, user: SessionUser, nowSeconds = Math.floor(Date.now() / 1000)): Promise<SessionUser> {
  if (user.expiresAt - nowSeconds >= USER_SESSION_TTL_SECONDS / 2) return user;
  const { token, expiresAt } = await mintUserSession(c.env, user, nowSeconds);
  setSessionCookie(c, token);
  return { ...user, expiresAt };
}

/** The signed-in user, or undefined for no cookie or an invalid, expired or ended session. */
export async function sessionUser<E extends AppEnv>(c: Context<E>): Promise<SessionUser | undefined> {
  const token = readSessionCookie(c);
  if (!token) return undefined;
  try {
    return await renewIfStale(c, await verifyUserSession(c.env, c.var.db, token));
  } catch (err) {
    if (err instanceof PortholeError && err.code === "not_signed_in") return undefined;
    throw err;
  }
}

/** Refuses with not_signed_in (401) unless a valid session cookie is present; sets `user`. */
export const requireUser = createMiddleware<UserEnv>(async (c, next) => {
  const token = readSessionCookie(c);
  if (!token) throw new PortholeError("not_signed_in");
  // Errors (expired, forged, ended) are all not_signed_in: the client's answer is the same.
  c.set("user", await renewIfStale(c, await verifyUserSession(c.env, c.var.db, token)));
  await next();
});

/** Sets `user` when a valid session cookie is present, undefined otherwise; never refuses. */
export const optionalUser = createMiddleware<MaybeUserEnv>(async (c, next) => {
  c.set("user", await sessionUser(c));
  await next();
});
