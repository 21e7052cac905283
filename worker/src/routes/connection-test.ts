// Why: the PWA's "Test my connection" needs short-lived TURN credentials, the STUN addresses to
// compare, and — for a chosen camera — its last NAT report and whether it shares this browser's
// public address. Signed-in only (TURN credentials are a cost) and rate-limited per user and per
// address, counting every call: the test is cheap to ask for and not free to serve (relays).
import { Hono } from "hono";
import { ConnectionTestRequestSchema, type ConnectionTestCamera, type ConnectionTestResponse } from "../../../protocol/index.ts";
import { clientIp } from "../auth/client-ip.ts";
import { requireUser, type UserEnv } from "../auth/require-user.ts";
import { reserveAttempt } from "../auth/throttle.ts";
import { iceServers } from "../config.ts";
import type { Db } from "../db/client.ts";
import { lastNetworkTag } from "../db/device-connections.ts";
import { roleOf } from "../db/device-access.ts";
import { findDevice } from "../db/devices.ts";
import { PortholeError } from "../errors.ts";
import { hubFor } from "../hub/hub-request.ts";
import { log } from "../log.ts";
import { networkTag } from "../net/network-tag.ts";
import { base64url, randomBytes } from "../random.ts";
import { connectionTestRules, ruleKey } from "../rate-limit.ts";
import { connectionTestIce, requesterLocation, turnConfig } from "../turn/index.ts";
import { readBody } from "./read-body.ts";

export const connectionTestRoutes = new Hono<UserEnv>();
connectionTestRoutes.use("*", requireUser);

/**
 * Refuses with rate_limited once either scope has used its window, else counts this call. One
 * reservation per scope (auth/throttle.ts), so tests started at once cannot all pass; the rules
 * count every call, so nothing is given back.
 */
async function throttle(d: Db, env: { CONNECTION_TEST_LIMITS?: string }, userId: string, ip: string, now: number): Promise<void> {
  const { perUser, perClient } = connectionTestRules(env.CONNECTION_TEST_LIMITS);
  await reserveAttempt(d, [
    { rule: perUser, key: ruleKey(perUser, userId) },
    { rule: perClient, key: ruleKey(perClient, ip) },
  ], now);
}

/** The chosen camera as the test needs it; no_access unless the caller has a role on it. */
async function cameraFor(c: { env: Env; var: { db: Db } }, serial: string, userId: string, ip: string): Promise<ConnectionTestCamera> {
  const [device, role] = await Promise.all([findDevice(c.var.db, serial), roleOf(c.var.db, serial, userId)]);
  // Same answer for "no such camera" and "not yours", so serials cannot be probed here.
  if (!device || !role) throw new PortholeError("no_access");
  const [{ online }, cameraTag, viewerTag] = await Promise.all([
    hubFor(c.env, serial).presence(),
    lastNetworkTag(c.var.db, serial),
    networkTag(c.env, ip),
  ]);
  return {
    serial,
    name: device.name,
    online,
    nat: device.natStatus ?? null,
    natAt: device.natStatusAt ? device.natStatusAt.toISOString() : null,
    sameNetworkAsCamera: cameraTag && viewerTag ? cameraTag === viewerTag : null,
  };
}

connectionTestRoutes.post("/", async (c) => {
  const user = c.var.user;
  const ip = clientIp(c);
  const now = Date.now();
  const body = await readBody(c, ConnectionTestRequestSchema);
  await throttle(c.var.db, c.env, user.id, ip, now);
  const camera = body.camera ? await cameraFor(c, body.camera, user.id, ip) : null;
  const ice = await connectionTestIce(turnConfig(c.env as typeof c.env & { TURN_SECRET?: string }), iceServers(c.env), base64url(randomBytes(9)), requesterLocation(c.req.raw.cf), now);
  log({ event: "connection_test", userId: user.id, turnConfigured: ice.turnConfigured, relays: ice.relays.length, ...(camera ? { serial: camera.serial, sameNetwork: camera.sameNetworkAsCamera } : {}) });
  c.header("cache-control", "no-store");
  return c.json({ serverTime: new Date(now).toISOString(), ...ice, camera } satisfies ConnectionTestResponse);
});
