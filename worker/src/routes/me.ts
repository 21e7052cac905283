// Why: the PWA asks "who am I?" on start; the answer also tells it when the session expires.
import { Hono } from "hono";
import type { Me } from "../../../protocol/index.ts";
import { requireUser, type UserEnv } from "../auth/require-user.ts";

export const meRoutes = new Hono<UserEnv>();

meRoutes.get("/", requireUser, (c) => {
  const { id, email, expiresAt } = c.var.user;
  c.header("cache-control", "no-store");
  return c.json({ user: { id, email }, sessionExpiresAt: new Date(expiresAt * 1000).toISOString() } satisfies Me);
});
