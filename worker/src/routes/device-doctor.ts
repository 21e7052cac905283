// Why: `porthole-agent doctor` needs the edge's verdict on the device token, the edge's clock and
// the TURN servers a session would give the camera, without opening /ws/device/:serial (that
// would replace the camera's running agent, hub device_replaced). Authenticated exactly like
// the device socket (verifyDeviceToken), so a revoked or superseded token is refused here too.
import { Hono } from "hono";
import { DEVICE_DOCTOR_TURN_TTL_SECONDS, type DeviceDoctorResponse, type IceServer } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { authenticateDevice } from "../auth/device-request.ts";
import { iceServers } from "../config.ts";
import { log } from "../log.ts";
import { iceServersWithTurn, mintTurnCredential, pickRegions, requesterLocation, turnConfig, type RequesterLocation } from "../turn/index.ts";

export const deviceDoctorRoutes = new Hono<AppEnv>();

/**
 * The ICE servers a session would hand this camera, with TURN credentials that live
 * DEVICE_DOCTOR_TURN_TTL_SECONDS only. The username's id is `<serial>.doctor`, so coturn's log
 * tells a doctor run from a session.
 */
export async function doctorIceServers(
  env: { ICE_SERVERS?: string; TURN_SECRET?: string; TURN_REGIONS?: string },
  serial: string,
  where: RequesterLocation,
  nowMs: number,
): Promise<{ iceServers: IceServer[]; turnConfigured: boolean }> {
  const statics = iceServers(env);
  const config = turnConfig(env);
  if (!config) return { iceServers: statics, turnConfigured: false };
  const cred = await mintTurnCredential(config.secret, `${serial}.doctor`, nowMs, DEVICE_DOCTOR_TURN_TTL_SECONDS);
  const grant = { username: cred.username, credential: cred.credential, regions: pickRegions(config.regions, where).map((r) => r.id) };
  return { iceServers: iceServersWithTurn(statics, config.regions, grant), turnConfigured: true };
}

deviceDoctorRoutes.post("/:serial/doctor", async (c) => {
  const serial = c.req.param("serial");
  await authenticateDevice(c.var.db, serial, c.req.header("authorization"), "device_doctor_refused");
  const now = Date.now();
  const ice = await doctorIceServers(c.env as typeof c.env & { TURN_SECRET?: string }, serial, requesterLocation(c.req.raw.cf), now);
  log({ event: "device_doctor", serial, turnConfigured: ice.turnConfigured });
  c.header("cache-control", "no-store");
  return c.json({ serial, serverTime: new Date(now).toISOString(), ...ice } satisfies DeviceDoctorResponse);
});
