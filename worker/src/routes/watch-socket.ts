// Why: a signed-in viewer gets its grant and its signaling socket in one round trip (issue 12,
// item 5). Before, the PWA asked POST /api/sessions for a grant and then opened
// /ws/view/:serial?ticket=…: two requests, each verifying the session, reading D1 and checking
// the camera, one after the other on the time-to-first-frame path. Here the upgrade carries the
// session cookie, and the same checks and the same signed grant (the camera verifies it before
// it offers) happen once. What the grant's HTTP answer carried — report token, the camera's
// NAT — is the socket's first message (session-info, sent by the hub). Refusals travel inside an
// accepted socket, as on /ws/view (browsers cannot read a refused upgrade).
import { Hono } from "hono";
import { NatStatusSchema, parseViewerNatParam, SerialSchema, VIEWER_NAT_QUERY, VIEWER_VERSION_QUERY } from "../../../protocol/index.ts";
import { countRefusalInBackground } from "../analytics/edge-counts.ts";
import type { AppEnv } from "../app-env.ts";
import { readSessionCookie } from "../auth/session-cookie.ts";
import { mintSessionGrants } from "../auth/session-grants.ts";
import { grantNameForEmail } from "../auth/ticket.ts";
import { sessionUserFrom, verifyUserSessionToken } from "../auth/user-session.ts";
import { userWithDeviceRole } from "../db/device-access.ts";
import { PortholeError } from "../errors.ts";
import { hubFor, viewerUpgradeRequest } from "../hub/hub-request.ts";
import { log } from "../log.ts";
import { requesterLocation } from "../turn/index.ts";
import { isWebSocketUpgrade, rejectSocket } from "../ws/reject-socket.ts";
import { pipeViewerSocket } from "../ws/viewer-pipe.ts";

export const watchSocketRoutes = new Hono<AppEnv>();

watchSocketRoutes.get("/:serial", async (c) => {
  const serial = c.req.param("serial");
  if (!isWebSocketUpgrade(c.req.raw)) throw PortholeError.badRequest("expected a WebSocket upgrade");
  // Set once the viewer's credentials checked out: only then is a refusal counted (edge-counts.ts).
  let authorized = false;
  try {
    if (!SerialSchema.safeParse(serial).success) throw PortholeError.deviceNotFound(serial);
    const token = readSessionCookie(c);
    // Access-code viewers keep POST /api/sessions: a code in a URL would end up in logs.
    if (!token) throw new PortholeError("not_signed_in", "Sign in, or enter the camera's access code.");
    // Not renewed here (a 101 carries no cookie the page can rely on); every HTTP call renews it.
    const claims = await verifyUserSessionToken(c.env, token);
    // One D1 round trip: the user row (session version), the camera row and the user's role.
    const rows = await userWithDeviceRole(c.var.db, claims.sub, serial);
    const user = sessionUserFrom(claims, rows.user);
    authorized = true;
    const { device, role } = rows;
    if (!device) throw PortholeError.deviceNotFound(serial);
    if (device.revoked) throw new PortholeError("device_revoked");
    if (!role) throw new PortholeError("no_access");
    // Presence is the hub's own state: it refuses an offline camera on this very socket.
    const subject = { userId: user.id, role, name: grantNameForEmail(user.email) };
    const viewerNat = parseViewerNatParam(c.req.query(VIEWER_NAT_QUERY));
    // The upgrade stands for the viewer's hello; the hub checks the version as it would a hello's.
    const v = Number(c.req.query(VIEWER_VERSION_QUERY));
    if (!Number.isInteger(v)) throw PortholeError.badRequest(`the ${VIEWER_VERSION_QUERY} query parameter (protocol version) is required`);
    const { sessionId, ticket, expiresAt, reportToken } = await mintSessionGrants(c.env, serial, subject, viewerNat);
    // No ticket_issued line: this grant goes only to the camera, with the session_started line.
    const hub = hubFor(c.env, serial);
    const upgrade = viewerUpgradeRequest(serial, {
      sessionId,
      expiresAt,
      userId: user.id,
      role,
      grant: ticket,
      maxViewers: device.maxViewers,
      location: requesterLocation(c.req.raw.cf),
      sessionInfo: { reportToken, cameraNat: NatStatusSchema.safeParse(device.natStatus).data ?? null, v },
    });
    return pipeViewerSocket(await hub.fetch(upgrade));
  } catch (err) {
    if (!(err instanceof PortholeError)) throw err;
    log({ event: "viewer_refused", serial, code: err.code, detail: err.message });
    if (authorized && err.code !== "bad_request") countRefusalInBackground(c.executionCtx, c.env.DB, err.code);
    return rejectSocket(err.code, err.message);
  }
});
