// Why: the operator page's calls to the edge's /api/ops/* routes, validated with the shared
// contract (protocol/ops.ts). The admin token travels once, in a JSON body, and is exchanged
// for an HttpOnly operator cookie — never a URL (logs, history) nor storage a script can read.
import { z } from "zod";
import { OpsMeSchema, OpsSummarySchema, type OpsMe, type OpsSummary } from "../../../protocol/ops.ts";
import { rangeQuery } from "../lib/ops-range.ts";
import { request, type ApiResult } from "./api.ts";

const Nothing = z.unknown().transform(() => undefined);

/** The charts other tools can read on their own (GET, same ?from&to as the summary). */
export const OPS_CHART_PATHS = {
  sessions: "/api/ops/sessions",
  ttff: "/api/ops/ttff",
  failures: "/api/ops/failures",
  cameras: "/api/ops/cameras",
  offline: "/api/ops/offline",
  regions: "/api/ops/regions",
} as const;
export type OpsChart = keyof typeof OPS_CHART_PATHS;

/** A chart's JSON for a window, as a link an operator (or a tool holding the cookie) opens. */
export const opsChartUrl = (chart: OpsChart, w: { from: number; to: number }): string => OPS_CHART_PATHS[chart] + rangeQuery(w);

/** The operator session of this browser, or operator_required. */
export const getOpsMe = (signal?: AbortSignal): Promise<ApiResult<OpsMe>> =>
  request(OpsMeSchema, "/api/ops/me", { method: "GET", ...(signal ? { signal } : {}) });

/** Trade the admin token for an operator cookie. */
export const opsSignIn = (adminToken: string): Promise<ApiResult<OpsMe>> =>
  request(OpsMeSchema, "/api/ops/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ adminToken }),
  });

export const opsSignOut = (): Promise<ApiResult<undefined>> => request(Nothing, "/api/ops/session", { method: "DELETE" });

/** Everything the page draws for one window. */
export const getOpsSummary = (w: { from: number; to: number }, signal?: AbortSignal): Promise<ApiResult<OpsSummary>> =>
  request(OpsSummarySchema, `/api/ops/summary${rangeQuery(w)}`, { method: "GET", ...(signal ? { signal } : {}) });
