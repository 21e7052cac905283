// Why: each kind of caller is authenticated once, in middleware, before any handler runs;
// handlers read the verified identity from the context.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.ts";
import type { VendorRow } from "../db/schema.ts";
import { PortholeError } from "../errors.ts";
import { bearerToken } from "./bearer.ts";
import { constantTimeEqual } from "./constant-time.ts";
import { verifyVendorToken } from "./vendor-token.ts";

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) throw new PortholeError("forbidden", "The admin API is disabled (ADMIN_TOKEN is not set).");
  const token = bearerToken(c.req.header("authorization"));
  if (!token || !(await constantTimeEqual(token, expected))) throw PortholeError.unauthorized("a valid admin token");
  await next();
});

/** `Authorization: Bearer <vendor API JWT>`; sets `vendor`. */
export const requireVendor = createMiddleware<AppEnv & { Variables: { vendor: VendorRow } }>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw PortholeError.unauthorized("a vendor API token");
  c.set("vendor", await verifyVendorToken(c.var.db, token));
  await next();
});
