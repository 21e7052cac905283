// Why: the two WebSocket entry points. Both authenticate in the worker, then forward the
// upgrade to the serial's DeviceHub, which owns the sockets from then on.
import { Hono } from "hono";
import { RESUME_QUERY, ResumeTokenSchema, SerialSchema, SessionIdSchema } from "../../../protocol/index.ts";
import { countRefusalInBackground } from "../analytics/edge-counts.ts";
import type { AppEnv } from "../app-env.ts";
import { clientIp } from "../auth/client-ip.ts";
import { authenticateDevice } from "../auth/device-request.ts";
import { verifyViewerTicket } from "../auth/ticket.ts";
import { deviceWithRole } from "../db/device-access.ts";
import { findDevice } from "../db/devices.ts";
import { PortholeError } from "../errors.ts";
import { deviceUpgradeRequest, hubFor, viewerResumeRequest, viewerUpgradeRequest } from "../hub/hub-request.ts";
import { log } from "../log.ts";
import { networkTag } from "../net/network-tag.ts";
import { requesterLocation } from "../turn/index.ts";
import { isWebSocketUpgrade, rejectSocket } from "../ws/reject-socket.ts";
import { pipeViewerSocket } from "../ws/viewer-pipe.ts";

export const socketRoutes = new Hono<AppEnv>();

/**
 * Camera agents use a WebSocket client that can read a refused upgrade's body, so refusals
 * here are plain HTTP JSON errors before the upgrade.
 */
socketRoutes.get("/device/:serial", async (c) => {
  const serial = c.req.param("serial");
  if (!isWebSocketUpgrade(c.req.raw)) throw PortholeError.badRequest("expected a WebSocket upgrade");
  await authenticateDevice(c.var.db, serial, c.req.header("authorization"), "device_refused");
  // Only a keyed hash of the camera's address travels on (and is stored): net/network-tag.ts.
  const tag = await networkTag(c.env, clientIp(c));
  return hubFor(c.env, serial).fetch(deviceUpgradeRequest(serial, requesterLocation(c.req.raw.cf), tag));
});

/**
 * Browsers cannot read a refused upgrade, so viewer refusals travel inside an accepted socket.
 * The grant was checked when it was minted; it is checked again here against D1 because it
 * lives 60 s, and a share revoked (or code viewing turned off) in that window must not let it in.
 */
socketRoutes.get("/view/:serial", async (c) => {
  const serial = c.req.param("serial");
  if (!isWebSocketUpgrade(c.req.raw)) throw PortholeError.badRequest("expected a WebSocket upgrade");
  // Set once the viewer's credentials checked out: only then is a refusal counted (edge-counts.ts).
  let authorized = false;
  try {
    // Resuming a session whose socket dropped (grace.ts): the hub alone knows whether that
    // session is still waiting and which token is current, so it decides. Revocations end
    // the hub's sessions, so a token never outlives the access it was issued under.
    const resumeToken = c.req.query(RESUME_QUERY.token);
    if (resumeToken !== undefined) {
      const sessionId = SessionIdSchema.safeParse(c.req.query(RESUME_QUERY.sessionId));
      if (!sessionId.success || !ResumeTokenSchema.safeParse(resumeToken).success) throw new PortholeError("session_ended", "This session cannot be resumed.");
      if (!SerialSchema.safeParse(serial).success) throw PortholeError.deviceNotFound(serial);
      return pipeViewerSocket(await hubFor(c.env, serial).fetch(viewerResumeRequest(serial, { sessionId: sessionId.data, token: resumeToken })));
    }
    const ticket = c.req.query("ticket");
    if (!ticket) throw new PortholeError("ticket_invalid", "No ticket: ask POST /api/sessions for one.");
    const grant = await verifyViewerTicket(c.env, ticket, serial);
    authorized = true;
    // One D1 round trip: the camera row, with the user's current role for an account grant.
    const { device, role } =
      grant.userId === null ? { device: await findDevice(c.var.db, serial), role: undefined } : ((await deviceWithRole(c.var.db, serial, grant.userId)) ?? { device: undefined, role: undefined });
    if (!device) throw PortholeError.deviceNotFound(serial);
    if (device.revoked) throw new PortholeError("device_revoked");
    if (grant.role === "code") {
      if (!device.allowCodeViewing) throw new PortholeError("code_viewing_disabled");
    } else if (role !== grant.role) {
      throw new PortholeError("access_revoked");
    }
    const hub = hubFor(c.env, serial);
    const upgrade = viewerUpgradeRequest(serial, {
      sessionId: grant.sessionId,
      expiresAt: grant.expiresAt,
      userId: grant.userId,
      role: grant.role,
      grant: ticket,
      maxViewers: device.maxViewers,
      location: requesterLocation(c.req.raw.cf),
    });
    return pipeViewerSocket(await hub.fetch(upgrade));
  } catch (err) {
    if (!(err instanceof PortholeError)) throw err;
    log({ event: "viewer_refused", serial, code: err.code, detail: err.message });
    if (authorized && err.code !== "bad_request") countRefusalInBackground(c.executionCtx, c.env.DB, err.code);
    return rejectSocket(err.code, err.message);
  }
});
