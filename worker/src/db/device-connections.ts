// Why: device_connections — each camera connection the edge accepted, and how and when it
// ended — written by the DeviceHub as effects of the hub logic (connection-end.ts) and read by
// the owner's diagnostics. Only the newest DEVICE_CONNECTIONS_KEPT per camera are kept.
import { and, desc, eq, isNull, notInArray, or } from "drizzle-orm";
import { DEVICE_CONNECTIONS_KEPT, type ConnectionEndReason } from "../../../protocol/index.ts";
import type { Db } from "./client.ts";
import { deviceConnections, type DeviceConnectionRow } from "./schema.ts";

export interface ConnectionOpen {
  id: string;
  serial: string;
  connectedAt: Date;
  networkTag: string | null;
}

export interface ConnectionEnd {
  id: string;
  reason: ConnectionEndReason;
  endedAt: Date;
  lastSeenAt: Date;
  closeCode: number | null;
}

/** Records a new connection, then drops the camera's rows beyond the newest few. */
export async function insertConnection(d: Db, c: ConnectionOpen): Promise<void> {
  await d.insert(deviceConnections).values(c).onConflictDoNothing().run();
  const keep = d
    .select({ id: deviceConnections.id })
    .from(deviceConnections)
    .where(eq(deviceConnections.serial, c.serial))
    .orderBy(desc(deviceConnections.connectedAt))
    .limit(DEVICE_CONNECTIONS_KEPT);
  await d.delete(deviceConnections).where(and(eq(deviceConnections.serial, c.serial), notInArray(deviceConnections.id, keep))).run();
}

/**
 * Records how a connection ended. The first verdict stands, except `edge-restart`: the hub may
 * guess it for a socket it no longer holds whose close event is still on its way, and the close
 * event's verdict then replaces the guess.
 */
export async function endConnection(d: Db, e: ConnectionEnd): Promise<void> {
  const { id, ...end } = e;
  await d
    .update(deviceConnections)
    .set(end)
    .where(and(eq(deviceConnections.id, id), or(isNull(deviceConnections.reason), eq(deviceConnections.reason, "edge-restart"))))
    .run();
}

/** The camera's connections, newest first. */
export async function recentConnections(d: Db, serial: string, limit = DEVICE_CONNECTIONS_KEPT): Promise<DeviceConnectionRow[]> {
  return d.select().from(deviceConnections).where(eq(deviceConnections.serial, serial)).orderBy(desc(deviceConnections.connectedAt)).limit(limit).all();
}

/**
 * The network tag (net/network-tag.ts) of the camera's newest connection, open or not; null
 * when it never connected or its address could not be read. Compare it with
 * networkTag(env, viewer's CF-Connecting-IP) to tell a viewer it shares the camera's network.
 */
export async function lastNetworkTag(d: Db, serial: string): Promise<string | null> {
  const row = await d
    .select({ networkTag: deviceConnections.networkTag })
    .from(deviceConnections)
    .where(eq(deviceConnections.serial, serial))
    .orderBy(desc(deviceConnections.connectedAt))
    .limit(1)
    .get();
  return row?.networkTag ?? null;
}
