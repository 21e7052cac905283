// Why: the viewer trades the camera's access code for a short-lived, single-use ticket that
// opens /ws/view/:serial. Wrong codes are counted and throttled.
import { Hono, type Context } from "hono";
import { CreateSessionRequestSchema, type CreateSessionResponse } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { verifyAccessCode } from "../auth/access-code.ts";
import { mintViewerTicket } from "../auth/ticket.ts";
import { readFailures, recordFailure } from "../db/auth-failures.ts";
import { findDevice } from "../db/devices.ts";
import { PortholeError } from "../errors.ts";
import { hubFor } from "../hub/hub-request.ts";
import { log } from "../log.ts";
import { newSessionId } from "../random.ts";
import { ACCESS_CODE_RULES, ruleKey, worstRetryAfter } from "../rate-limit.ts";
import { readBody } from "./read-body.ts";

export const sessionRoutes = new Hono<AppEnv>();

/** Cloudflare sets CF-Connecting-IP on every request and strips a client-sent one. */
function clientIp(c: Context): string {
  return c.req.header("cf-connecting-ip") ?? c.req.header("x-real-ip") ?? "unknown";
}

sessionRoutes.post("/", async (c) => {
  const { serial, accessCode } = await readBody(c, CreateSessionRequestSchema);
  const d = c.var.db;
  const now = Date.now();
  const { perClient, perSerial } = ACCESS_CODE_RULES;
  const checks = [
    { rule: perClient, key: ruleKey(perClient, serial, clientIp(c)) },
    { rule: perSerial, key: ruleKey(perSerial, serial) },
  ];
  const wait = worstRetryAfter(checks, await readFailures(d, checks.map((k) => k.key)), now);
  if (wait > 0) {
    log({ event: "access_code_refused", serial, code: "rate_limited" });
    throw PortholeError.rateLimited(wait);
  }

  const device = await findDevice(d, serial);
  if (!device) throw PortholeError.deviceNotFound(serial);
  if (device.revoked) throw new PortholeError("device_revoked");
  // PBKDF2 and the hub round trip overlap (both are on the time-to-first-frame path); presence
  // is public anyway, and a wrong code is reported before any presence.
  const [codeOk, presence] = await Promise.all([verifyAccessCode(accessCode, device.accessCodeHash), hubFor(c.env, serial).presence()]);
  if (!codeOk) {
    await Promise.all(checks.map((k) => recordFailure(d, k.key, now, k.rule.windowMs)));
    log({ event: "access_code_refused", serial, code: "wrong_access_code" });
    throw new PortholeError("wrong_access_code");
  }
  if (!presence.online) throw new PortholeError("device_offline");

  const sessionId = newSessionId();
  const { ticket, expiresAt } = await mintViewerTicket(c.env, serial, sessionId, { userId: null, role: "code" });
  log({ event: "ticket_issued", serial, sessionId });
  c.header("cache-control", "no-store");
  return c.json(
    {
      sessionId,
      ticket,
      expiresAt: new Date(expiresAt * 1000).toISOString(),
      wsPath: `/ws/view/${encodeURIComponent(serial)}`,
    } satisfies CreateSessionResponse,
    201,
  );
});
