// Why: a viewer session's own account of how it went (protocol/session-report.ts), sent as it
// ends — often from a closing tab through navigator.sendBeacon, which can only send a "simple"
// text/plain body and no custom header. So this route reads no cookie (the CSRF guard's
// content-type rule would refuse a beacon, and a cross-site page could not get a body past it
// anyway: the report token inside the body is the only credential, and it names one session).
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_SESSION_REPORT_BYTES, NatStatusSchema, SessionIdSchema, SessionReportRequestSchema } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { verifyReportToken } from "../auth/report-token.ts";
import { findDevice } from "../db/devices.ts";
import { storeCountedReport } from "../analytics/index.ts";
import { pickRegions, requesterLocation } from "../turn/regions.ts";
import { turnConfig } from "../turn/config.ts";
import { PortholeError } from "../errors.ts";
import { log } from "../log.ts";
import { reportRow } from "../reports/report-row.ts";

export const sessionReportRoutes = new Hono<AppEnv>();

sessionReportRoutes.post(
  "/:sessionId",
  bodyLimit({
    maxSize: MAX_SESSION_REPORT_BYTES,
    onError: () => {
      throw new PortholeError("message_too_large", `Session reports are limited to ${MAX_SESSION_REPORT_BYTES} bytes.`);
    },
  }),
  async (c) => {
    const sessionId = SessionIdSchema.safeParse(c.req.param("sessionId"));
    if (!sessionId.success) throw PortholeError.badRequest("sessionId: not a session id");
    const type = c.req.header("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
    if (type !== "application/json" && type !== "text/plain") throw PortholeError.badRequest("send the report as application/json or text/plain");
    let json: unknown;
    try {
      json = JSON.parse(await c.req.text());
    } catch {
      throw PortholeError.badRequest("the body is not JSON");
    }
    const parsed = SessionReportRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw PortholeError.badRequest(`${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
    }
    const grant = await verifyReportToken(c.env, parsed.data.token, sessionId.data);
    const { report } = parsed.data;
    const device = await findDevice(c.var.db, grant.serial);
    const cf = (c.req.raw as { cf?: { colo?: unknown } }).cf;
    const colo = typeof cf?.colo === "string" ? cf.colo : null;
    // The region the grant handed this viewer first: the same pure choice (turn/regions.ts) on
    // the viewer's location, read again here so neither the grant nor its token changes shape. A
    // viewer that moved between grant and report counts where it reports from. Null without TURN.
    const turn = turnConfig(c.env);
    const turnRegion = turn ? (pickRegions(turn.regions, requesterLocation(cf), 1)[0]?.id ?? null) : null;
    const row = reportRow(grant, report, NatStatusSchema.safeParse(device?.natStatus).data ?? null, Date.now(), colo, turnRegion);
    if (!(await storeCountedReport(c.env.DB, c.var.db, row))) throw new PortholeError("report_exists");
    log({
      event: "session_reported",
      serial: grant.serial,
      sessionId: grant.sessionId,
      final: row.final,
      outcome: row.outcome,
      stage: row.stage,
      cause: row.cause,
      path: row.path,
      ttffMs: row.ttffMs,
      predictedPath: row.predictedPath,
    });
    c.header("cache-control", "no-store");
    return c.body(null, 204);
  },
);
