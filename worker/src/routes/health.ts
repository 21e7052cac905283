// Why: a cheap liveness probe for scripts (start, e2e) and monitoring.
import { Hono } from "hono";
import pkg from "../../../package.json";
import type { AppEnv } from "../app-env.ts";

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get("/", (c) => c.json({ ok: true as const, version: pkg.version }));
