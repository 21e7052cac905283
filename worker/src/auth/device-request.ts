// Why: a request that acts as a camera (the device socket, the doctor route) is authenticated
// one way: a serial that can exist, a Bearer device token, and verifyDeviceToken's checks
// (vendor key, serial, expiry, revocation, token version). Refusals are logged under the
// caller's event name and rethrown for app.onError.
import { SerialSchema } from "../../../protocol/index.ts";
import { PortholeError } from "../errors.ts";
import { log } from "../log.ts";
import { bearerToken } from "./bearer.ts";
import { verifyDeviceToken } from "./device-token.ts";

export async function authenticateDevice(
  db: Parameters<typeof verifyDeviceToken>[0],
  serial: string,
  authorization: string | undefined,
  refusedEvent: "device_refused" | "device_doctor_refused",
): Promise<void> {
  try {
    if (!SerialSchema.safeParse(serial).success) throw PortholeError.deviceNotFound(serial);
    const token = bearerToken(authorization);
    if (!token) throw PortholeError.unauthorized("a device token (Authorization: Bearer)");
    await verifyDeviceToken(db, token, serial);
  } catch (err) {
    if (err instanceof PortholeError) log({ event: refusedEvent, serial, code: err.code, detail: err.message });
    throw err;
  }
}
