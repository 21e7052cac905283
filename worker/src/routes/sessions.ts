// Why: a viewer trades proof of access for a short-lived, single-use grant (the "ticket") that
// opens /ws/view/:serial. Proof is either a session cookie with a role on the camera, or — only
// where the owner allows it — the label's access code. Wrong codes are counted and throttled.
import { Hono, type Context } from "hono";
import { CreateSessionRequestSchema, NatStatusSchema, type CreateSessionResponse } from "../../../protocol/index.ts";
import { countRefusalInBackground } from "../analytics/edge-counts.ts";
import type { AppEnv } from "../app-env.ts";
import { verifyAccessCode } from "../auth/access-code.ts";
import { withAccessCodeAttempt } from "../auth/access-code-throttle.ts";
import { clientIp } from "../auth/client-ip.ts";
import { optionalUser, type MaybeUserEnv } from "../auth/require-user.ts";
import { mintSessionGrants } from "../auth/session-grants.ts";
import { CODE_GRANT_NAME, grantNameForEmail, type GrantSubject } from "../auth/ticket.ts";
import { deviceWithRole } from "../db/device-access.ts";
import { findDevice } from "../db/devices.ts";
import type { DeviceRow } from "../db/schema.ts";
import { PortholeError } from "../errors.ts";
import { hubFor } from "../hub/hub-request.ts";
import { log } from "../log.ts";
import { readBody } from "./read-body.ts";

export const sessionRoutes = new Hono<MaybeUserEnv>();

async function liveDevice<E extends AppEnv>(c: Context<E>, serial: string, known?: DeviceRow): Promise<DeviceRow> {
  const device = known ?? (await findDevice(c.var.db, serial));
  if (!device) throw PortholeError.deviceNotFound(serial);
  if (device.revoked) throw new PortholeError("device_revoked");
  return device;
}

/**
 * The camera is offline for a viewer whose role or code checked out: counted as refused by the
 * edge (the operator view), since no session exists to report it.
 */
function refusedOffline<E extends AppEnv>(c: Context<E>): PortholeError {
  countRefusalInBackground(c.executionCtx, c.env.DB, "device_offline");
  return new PortholeError("device_offline");
}

/**
 * The label's code, where the owner allows it. PBKDF2 and the hub round trip overlap (both are
 * on the time-to-first-frame path); presence is public anyway, and a wrong code is reported
 * before any presence. The attempt is reserved first: a throttled client learns nothing more.
 */
async function codeGrant<E extends AppEnv>(c: Context<E>, serial: string, accessCode: string): Promise<{ subject: GrantSubject; device: DeviceRow }> {
  return withAccessCodeAttempt(c.var.db, serial, clientIp(c), async () => {
    const device = await liveDevice(c, serial);
    // Checked before the code, so a camera that does not accept codes gives no guessing oracle.
    if (!device.allowCodeViewing) throw new PortholeError("code_viewing_disabled");
    const [codeOk, presence] = await Promise.all([verifyAccessCode(accessCode, device.accessCodeHash), hubFor(c.env, serial).presence()]);
    if (!codeOk) throw new PortholeError("wrong_access_code");
    if (!presence.online) throw refusedOffline(c);
    return { subject: { userId: null, role: "code", name: CODE_GRANT_NAME }, device };
  });
}

sessionRoutes.post("/", optionalUser, async (c) => {
  const { serial, accessCode, viewerNat } = await readBody(c, CreateSessionRequestSchema);
  const user = c.var.user;
  let subject: GrantSubject;
  let device: DeviceRow;
  // The camera row and the caller's role come in one D1 round trip (deviceWithRole).
  const [found, presence] = user ? await Promise.all([deviceWithRole(c.var.db, serial, user.id), hubFor(c.env, serial).presence()]) : [undefined, undefined];
  const role = found?.role;
  if (user && role) {
    device = await liveDevice(c, serial, found.device);
    if (!presence?.online) throw refusedOffline(c);
    subject = { userId: user.id, role, name: grantNameForEmail(user.email) };
  } else if (accessCode !== undefined) {
    // Signed in without a role (a friend's camera that allows code viewing), or not signed in.
    ({ subject, device } = await codeGrant(c, serial, accessCode));
  } else if (user) {
    await liveDevice(c, serial, found?.device);
    throw new PortholeError("no_access");
  } else {
    throw new PortholeError("not_signed_in", "Sign in, or enter the camera's access code.");
  }

  const { sessionId, ticket, expiresAt, reportToken } = await mintSessionGrants(c.env, serial, subject, viewerNat);
  log({ event: "ticket_issued", serial, sessionId });
  c.header("cache-control", "no-store");
  return c.json(
    {
      sessionId,
      ticket,
      expiresAt: new Date(expiresAt * 1000).toISOString(),
      wsPath: `/ws/view/${encodeURIComponent(serial)}`,
      reportToken,
      cameraNat: NatStatusSchema.safeParse(device.natStatus).data ?? null,
    } satisfies CreateSessionResponse,
    201,
  );
});
