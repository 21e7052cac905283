// Why: what only the edge sees — viewers it turned away, device connections and how they ended —
// is counted into edge_hourly as it happens: the raw rows either never exist (a refusal) or do
// not last (device_connections keeps ten per camera), so a later roll-up could not find them.
import { and, eq, isNull, or } from "drizzle-orm";
import type { ConnectionEndReason, ErrorCode } from "../../../protocol/index.ts";
import { db } from "../db/client.ts";
import { endConnection, type ConnectionEnd } from "../db/device-connections.ts";
import { deviceConnections } from "../db/schema.ts";
import { log, messageOf } from "../log.ts";
import { hourOf } from "./hours.ts";

type Kind = "refused" | "device_end";

function bump(binding: D1Database, kind: Kind, key: string, at: number, by: 1 | -1): D1PreparedStatement {
  return binding
    .prepare("INSERT INTO edge_hourly (hour, kind, key, count) VALUES (?, ?, ?, ?) ON CONFLICT (hour, kind, key) DO UPDATE SET count = MAX(0, count + excluded.count)")
    .bind(hourOf(at), kind, key, by);
}

/** Counts a viewer the edge refused (device_busy, device_offline, a refused resume…), by its code. */
export async function countRefusal(binding: D1Database, code: ErrorCode, at: number = Date.now()): Promise<void> {
  await bump(binding, "refused", code, at, 1).run();
}

/**
 * Counts a refusal a route decided, without holding its answer: the count is kept alive past
 * the response (waitUntil), and a failed write is logged, never thrown at the refused viewer.
 */
export function countRefusalInBackground(ctx: { waitUntil(p: Promise<unknown>): void }, binding: D1Database, code: ErrorCode): void {
  ctx.waitUntil(countRefusal(binding, code).catch((error: unknown) => log({ event: "internal_error", path: "count-refusal", message: messageOf(error) })));
}

/**
 * Records how a device connection ended (db/device-connections.ts endConnection) and counts the
 * reason once. The hub may first guess `edge-restart` for a socket whose close event is still
 * queued; when that event's verdict replaces the guess, the guess is taken back out of its hour.
 */
export async function endConnectionCounted(binding: D1Database, end: ConnectionEnd): Promise<void> {
  const d = db(binding);
  const open = or(isNull(deviceConnections.reason), eq(deviceConnections.reason, "edge-restart"));
  const before = await d.select({ reason: deviceConnections.reason, endedAt: deviceConnections.endedAt }).from(deviceConnections).where(and(eq(deviceConnections.id, end.id), open)).get();
  // Unknown connection (pruned) or already ended for good: the first verdict stands and was counted.
  if (!before) return endConnection(d, end);
  await endConnection(d, end);
  const statements = [bump(binding, "device_end", end.reason satisfies ConnectionEndReason, end.endedAt.getTime(), 1)];
  if (before.reason === "edge-restart" && before.endedAt) statements.push(bump(binding, "device_end", "edge-restart", before.endedAt.getTime(), -1));
  await binding.batch(statements);
}
