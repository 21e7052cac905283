// Why: GET /api/events — the event index across every camera the caller may see the events of
// (a role with `playback`), newest first, paged by start time (issue 13, item 3). Names and times
// only: the PWA fetches pictures from the camera itself.
import { Hono } from "hono";
import { EDGE_EVENTS_KEPT_DAYS, EventsQuerySchema, type EventsPage } from "../../../protocol/index.ts";
import { requireUser, type UserEnv } from "../auth/require-user.ts";
import { listCameraEvents } from "../db/camera-events.ts";
import { PortholeError } from "../errors.ts";
import { pageOf } from "../events/index.ts";

export const eventRoutes = new Hono<UserEnv>();

/** The oldest event the index still shows (edge ms), whether or not its row was pruned yet. */
export function eventsKeptSince(now: number): number {
  return now - EDGE_EVENTS_KEPT_DAYS * 86_400_000;
}

eventRoutes.get("/", requireUser, async (c) => {
  const parsed = EventsQuerySchema.safeParse(c.req.query());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || (issue?.code === "unrecognized_keys" ? issue.keys.join(", ") : "query");
    throw PortholeError.badRequest(`${where}: ${issue?.message ?? "invalid"}`);
  }
  const { before, limit, serial } = parsed.data;
  const now = Date.now();
  const rows = await listCameraEvents(c.var.db, {
    userId: c.var.user.id,
    before: before ?? Number.MAX_SAFE_INTEGER,
    limit: limit + 1,
    ...(serial !== undefined ? { serial } : {}),
    keptSince: eventsKeptSince(now),
  });
  c.header("cache-control", "no-store");
  return c.json(pageOf(rows, limit) satisfies EventsPage);
});
