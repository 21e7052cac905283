// Why: provisioning and the owner's "allow watching with the access code" go through the real
// vendor and account APIs, which the lab edge serves only inside the namespaces. The runner
// starts this small CLI in the server namespace and reads one JSON line back.
//   env LAB_ADMIN_TOKEN; args: <edge url> <serial> <vendor key dir>
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { provisionDevice } from "../scripts/provision/provision.ts";
import { EdgeSession } from "../scripts/lib/edge-api.ts";

export interface ProvisionedCamera {
  serial: string;
  accessCode: string;
  token: string;
  /** The demo owner's account, for tests that act as the owner (the connection test's prediction). */
  owner: { email: string; password: string };
}

async function main(): Promise<void> {
  const [edge, serial, keyDir] = process.argv.slice(2);
  const adminToken = process.env.LAB_ADMIN_TOKEN;
  if (!edge || !serial || !keyDir || !adminToken) throw new Error("usage: LAB_ADMIN_TOKEN=… provision-camera.ts <edge> <serial> <key dir>");
  const device = await provisionDevice({ edge, vendor: "lab-vendor", serial, name: "Lab camera", adminToken, keyDir });
  // A demo owner claims the camera and allows access-code viewing (as scripts/lib/stack.ts does),
  // and raises the viewer limit so a lingering session never makes a pair device_busy.
  const owner = new EdgeSession(edge);
  const ownerLogin = { email: "lab-owner@porthole.lab", password: randomBytes(12).toString("base64url") };
  await owner.signUpOrIn(ownerLogin.email, ownerLogin.password);
  await owner.call("POST", "/api/cameras", z.unknown(), { serial: device.serial, accessCode: device.accessCode, name: "Lab camera" });
  await owner.call("PATCH", `/api/cameras/${encodeURIComponent(device.serial)}`, z.unknown(), { allowCodeViewing: true, maxViewers: 10 });
  const out: ProvisionedCamera = { serial: device.serial, accessCode: device.accessCode, token: device.token, owner: ownerLogin };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (import.meta.main) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`provision-camera: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
