// Why: the operators' API (issue 15 item 3): sign in with the admin token for an operator
// cookie, then read the fleet's figures — all at once for the PWA's operator page, or one chart
// per route for other tools. Every data route needs the operator cookie; a user's session cookie
// is not one (different cookie, different JWT audience).
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import {
  OpsSignInRequestSchema,
  type OpsCamerasResponse,
  type OpsFailuresResponse,
  type OpsMe,
  type OpsOfflineResponse,
  type OpsRegionsResponse,
  type OpsSessionsResponse,
  type OpsSummary,
  type OpsTtffResponse,
} from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { clientIp } from "../auth/client-ip.ts";
import { constantTimeEqual } from "../auth/constant-time.ts";
import { hasCode, judged, reserveAttempt } from "../auth/throttle.ts";
import {
  camerasChart,
  clearOperatorCookie,
  failuresChart,
  mintOperatorSession,
  offlineChart,
  parseRange,
  readOperatorCookie,
  refusalsChart,
  regionsChart,
  sessionsChart,
  setOperatorCookie,
  ttffChart,
  verifyOperatorSession,
  type OpsRange,
} from "../analytics/index.ts";
import { PortholeError } from "../errors.ts";
import { ruleKey, type RateRule } from "../rate-limit.ts";
import { readBody } from "./read-body.ts";

/** Wrong admin tokens per client address, as strict as sign-ins per account (LOGIN_RULES). */
export const OPS_SIGN_IN_RULE = { name: "ops:ip", limit: 10, windowMs: 15 * 60_000 } as const satisfies RateRule;

type OpsEnv = AppEnv & { Variables: { operatorExpiresAt: number; range: OpsRange; now: number } };

export const opsRoutes = new Hono<OpsEnv>();

opsRoutes.post("/session", async (c) => {
  const body = await readBody(c, OpsSignInRequestSchema);
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) throw new PortholeError("forbidden", "Operator sign-in is disabled (ADMIN_TOKEN is not set).");
  const ip = clientIp(c);
  const attempt = await reserveAttempt(c.var.db, [{ rule: OPS_SIGN_IN_RULE, key: ruleKey(OPS_SIGN_IN_RULE, ip) }]);
  await judged(
    attempt,
    async () => {
      if (!(await constantTimeEqual(body.adminToken, expected))) throw PortholeError.unauthorized("the admin token");
    },
    hasCode("unauthorized"),
  );
  const { token, expiresAt } = await mintOperatorSession(c.env);
  setOperatorCookie(c, token);
  c.header("cache-control", "no-store");
  return c.json({ operator: true, expiresAt } satisfies OpsMe, 201);
});

opsRoutes.delete("/session", (c) => {
  clearOperatorCookie(c);
  return c.body(null, 204);
});

const requireOperator = createMiddleware<OpsEnv>(async (c, next) => {
  const token = readOperatorCookie(c);
  if (!token) throw new PortholeError("operator_required");
  c.set("operatorExpiresAt", await verifyOperatorSession(c.env, token));
  c.header("cache-control", "no-store");
  await next();
});

opsRoutes.get("/me", requireOperator, (c) => c.json({ operator: true, expiresAt: c.var.operatorExpiresAt } satisfies OpsMe));

const withRange = createMiddleware<OpsEnv>(async (c, next) => {
  const now = Date.now();
  c.set("now", now);
  c.set("range", parseRange(c.req.query(), now));
  await next();
});

opsRoutes.use("/summary", requireOperator, withRange);
opsRoutes.use("/sessions", requireOperator, withRange);
opsRoutes.use("/ttff", requireOperator, withRange);
opsRoutes.use("/failures", requireOperator, withRange);
opsRoutes.use("/cameras", requireOperator, withRange);
opsRoutes.use("/offline", requireOperator, withRange);
opsRoutes.use("/regions", requireOperator, withRange);

opsRoutes.get("/summary", async (c) => {
  const r = c.var.range;
  const db = c.env.DB;
  const [sessions, ttff, failures, refusals, cameras, offline, regions] = await Promise.all([
    sessionsChart(db, r),
    ttffChart(db, r, c.var.now),
    failuresChart(db, r),
    refusalsChart(db, r),
    camerasChart(db, r),
    offlineChart(db, r),
    regionsChart(db, r),
  ]);
  return c.json({ ...r, ...sessions, ttff, failures, refusals, cameras, offline, regions } satisfies OpsSummary);
});
opsRoutes.get("/sessions", async (c) => c.json({ ...c.var.range, ...(await sessionsChart(c.env.DB, c.var.range)) } satisfies OpsSessionsResponse));
opsRoutes.get("/ttff", async (c) => c.json({ ...c.var.range, ttff: await ttffChart(c.env.DB, c.var.range, c.var.now) } satisfies OpsTtffResponse));
opsRoutes.get("/failures", async (c) => {
  const [failures, refusals] = await Promise.all([failuresChart(c.env.DB, c.var.range), refusalsChart(c.env.DB, c.var.range)]);
  return c.json({ ...c.var.range, failures, refusals } satisfies OpsFailuresResponse);
});
opsRoutes.get("/cameras", async (c) => c.json({ ...c.var.range, cameras: await camerasChart(c.env.DB, c.var.range) } satisfies OpsCamerasResponse));
opsRoutes.get("/offline", async (c) => c.json({ ...c.var.range, offline: await offlineChart(c.env.DB, c.var.range) } satisfies OpsOfflineResponse));
opsRoutes.get("/regions", async (c) => c.json({ ...c.var.range, regions: await regionsChart(c.env.DB, c.var.range) } satisfies OpsRegionsResponse));
